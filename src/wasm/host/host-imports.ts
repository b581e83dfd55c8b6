/**
 * The `wasm-graph:processor` interfaces a module imports, bound to one operation of one run. Every function
 * follows jco's conventions: a returned value is `ok`, a thrown plain object is the `err` payload.
 */
import type { LentBuffers } from './buffer.js';
import { HostBuffer } from './buffer.js';
import type { MetricsRegistry, Label } from './metrics.js';
import type { RunLog, LogLevel } from '../../engine/run-log.js';
import type { SchemaCatalog } from './schema-catalog.js';
import { StateStoreRequestError, type SetCondition, type StateStoreApi } from './state-store.js';
import { durationMs, fromWitHlc, toWitHlc, type WitHlc } from '../wit-values.js';

/** What a run shares between all its operations. */
export interface HostServices {
  log: RunLog;
  metrics: Pick<MetricsRegistry, 'addToCounter' | 'recordToHistogram'>;
  stateStore: StateStoreApi;
  schemas: SchemaCatalog;
}

type Duration = { seconds: bigint; nanos: number };

export function processorImports(operation: string, services: HostServices, lent: LentBuffers): Record<string, unknown> {
  const { log, metrics, stateStore, schemas } = services;
  return {
    'aio:host/resource-tables': lent.hook,
    'wasm-graph:processor/types': { Buffer: HostBuffer },
    'wasm-graph:processor/hybrid-logical-clock': {},
    'wasm-graph:processor/state-store-types': {},
    'wasm-graph:processor/schema-types': {},
    'wasm-graph:processor/logger': {
      log(level: LogLevel, context: string, message: string): void {
        log.write({ level, operation, context, message, time: new Date() });
      },
    },
    'wasm-graph:processor/metrics': {
      addToCounter(name: string, value: { tag: 'u64'; val: bigint }, labels?: Label[]): void {
        metrics.addToCounter(operation, name, value.val, labels);
      },
      recordToHistogram(name: string, value: { tag: 'f64' | 'u64'; val: number | bigint }, labels?: Label[]): void {
        metrics.recordToHistogram(operation, name, Number(value.val), labels);
      },
    },
    'wasm-graph:processor/state-store': {
      get(key: Uint8Array, _timeout?: Duration) {
        const found = guard(() => stateStore.get(key));
        return { response: found.value, version: found.version && toWitHlc(found.version) };
      },
      set(
        key: Uint8Array,
        value: Uint8Array,
        _timeout: Duration | undefined,
        fencingToken: WitHlc | undefined,
        options: { conditions: SetCondition; expires?: Duration },
      ) {
        const result = guard(() =>
          stateStore.set(key, value, fencingToken && fromWitHlc(fencingToken), {
            condition: options.conditions,
            expiresInMs: durationMs(options.expires),
          }),
        );
        return { response: result.stored, version: result.version && toWitHlc(result.version) };
      },
      del(key: Uint8Array, fencingToken: WitHlc | undefined, _timeout?: Duration) {
        const result = guard(() => stateStore.del(key, fencingToken && fromWitHlc(fencingToken)));
        return { response: BigInt(result.deleted), version: result.version && toWitHlc(result.version) };
      },
      vdel(key: Uint8Array, value: Uint8Array, fencingToken: WitHlc | undefined, _timeout?: Duration) {
        const result = guard(() => stateStore.vdel(key, value, fencingToken && fromWitHlc(fencingToken)));
        return { response: BigInt(result.deleted), version: result.version && toWitHlc(result.version) };
      },
    },
    'wasm-graph:processor/schema-registry': {
      get(id: string, version: string, _timeout: [bigint, number]) {
        const schema = schemas.find(id, version);
        if (!schema) throw { tag: 'not-found' };
        return {
          description: schema.description,
          displayName: schema.displayName,
          format: { tag: schema.format },
          hash: undefined,
          name: schema.name,
          namespace: schema.namespace ?? '',
          schemaContent: schema.content,
          schemaType: { tag: 'message-schema' },
          tags: [],
          version: schema.version,
        };
      },
    },
    ...rpcImports(),
  };
}

/** State store failures become the WIT `request-error` case; anything else is a host bug and traps. */
function guard<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof StateStoreRequestError) throw { tag: 'request-error', val: error.message };
    throw error;
  }
}

const RPC_UNAVAILABLE = { tag: 'not-available', val: 'aio emulate has no MQTT RPC executors; command-invoker calls always fail' };

/** Present so modules importing MQTT RPC load; every invocation answers with an rpc-error. */
function rpcImports(): Record<string, unknown> {
  class CommandRequestBuilder {
    payload(): void {}
    contentType(): void {}
    userProperties(): void {}
    timeoutMs(): void {}
  }
  class CommandInvokerOptionsBuilder {
    commandName(): void {}
    requestTopicPattern(): void {}
  }
  return {
    'wasm-graph:processor/rpc-types': { CommandRequestBuilder, CommandInvokerOptionsBuilder },
    'wasm-graph:processor/command-invoker': {
      invoke(): never {
        throw RPC_UNAVAILABLE;
      },
    },
  };
}
