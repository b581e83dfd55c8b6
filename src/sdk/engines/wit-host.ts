/**
 * The SDK's Host over a component's WIT imports, for either builder: `imports` are the interface objects and
 * `abi` says how the builder passes u64 and `none`.
 */
import type { Host, Labels, LogLevel, SetOptions } from '../host.js';
import type { Abi } from '../wit-codec.js';

export interface WitImports {
  logger: { log(level: string, context: string, message: string): void };
  metrics: { addToCounter(name: string, value: unknown, labels: unknown): void; recordToHistogram(name: string, value: unknown, labels: unknown): void };
  stateStore: {
    get(key: Uint8Array, timeout: unknown): { response?: Uint8Array | null };
    set(key: Uint8Array, value: Uint8Array, timeout: unknown, fencingToken: unknown, options: unknown): { response: boolean };
    del(key: Uint8Array, fencingToken: unknown, timeout: unknown): { response: number | bigint };
  };
  schemaRegistry: { get(id: string, version: string, timeout: unknown): { name: string; version: string; format: { tag: string }; schemaContent: string } };
}

/** How long a schema look-up may take, in seconds (the WIT asks the caller for a timeout). */
const SCHEMA_TIMEOUT_SECONDS = 10;

export function witHost(imports: WitImports, abi: Abi): Host {
  const labelsOf = (labels: Labels | undefined): unknown => (labels === undefined ? abi.none : Object.entries(labels).map(([key, value]) => ({ key, value })));
  return {
    log: (level: LogLevel, context, message) => imports.logger.log(level, context, message),
    addToCounter: (name, value, labels) => imports.metrics.addToCounter(name, { tag: 'u64', val: abi.u64(Math.max(0, Math.round(value))) }, labelsOf(labels)),
    recordToHistogram: (name, value, labels) => imports.metrics.recordToHistogram(name, { tag: 'f64', val: value }, labelsOf(labels)),
    stateGet: (key) => imports.stateStore.get(key, abi.none).response ?? undefined,
    stateSet: (key, value, options: SetOptions) => {
      const expires =
        options.expiresMs === undefined ? abi.none : { seconds: abi.u64(Math.floor(options.expiresMs / 1000)), nanos: (options.expiresMs % 1000) * 1e6 };
      const conditions = options.ifAbsent ? 'only-if-does-not-exist' : 'unconditional';
      return imports.stateStore.set(key, value, abi.none, abi.none, { conditions, expires }).response;
    },
    stateDelete: (key) => Number(imports.stateStore.del(key, abi.none, abi.none).response),
    schemaGet: (id, version) => {
      const schema = imports.schemaRegistry.get(id, version, [abi.u64(SCHEMA_TIMEOUT_SECONDS), 0]);
      return { name: schema.name, version: schema.version, format: schema.format.tag, content: schema.schemaContent };
    },
  };
}
