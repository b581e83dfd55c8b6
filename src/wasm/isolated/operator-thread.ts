/**
 * An isolated instance's thread (see isolated-operator.ts): starts the operation's module, then serves calls from
 * the shared channel for as long as it lives. It never returns to its event loop, so everything it does is
 * synchronous; the engine's side ends it with `terminate()`, which also stops a module caught in an endless loop.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { levelAtLeast, type LogLevel, type RunLog } from '../../engine/run-log.js';
import { transferError } from '../../util/transfer-error.js';
import type { HostServices } from '../host/host-imports.js';
import { SchemaCatalog, type RegisteredSchema } from '../host/schema-catalog.js';
import { StateStoreRequestError, type StateStoreApi } from '../host/state-store.js';
import { componentFromShared, type ShareableComponent } from '../load-component.js';
import { OperatorFailure } from '../../engine/operator-failure.js';
import { OperatorModule, type ModuleConfigurationInput } from '../operator-module.js';
import type { OperatorInterface } from '../wit-names.js';
import { ByteReader, ByteWriter, readItem, writeHlc, writeItem } from './byte-codec.js';
import { CallChannel, STATE, type MetricOp, type StateStoreRequest } from './call-channel.js';
import { CALL_METHODS, REPLY_STATUS } from './call-methods.js';

export interface OperatorThreadData {
  shared: SharedArrayBuffer;
  port: MessagePort;
  component: ShareableComponent;
  operation: string;
  interface: OperatorInterface;
  configuration: ModuleConfigurationInput;
  schemas: RegisteredSchema[];
  logLevel: LogLevel;
  modelDirs: readonly string[];
}

const data = workerData as OperatorThreadData;
const channel = new CallChannel(data.shared, data.port);
const metricOps: MetricOp[] = [];

const log: RunLog = {
  minLevel: data.logLevel,
  write(entry) {
    if (levelAtLeast(entry.level, data.logLevel)) channel.post({ kind: 'log', entry });
  },
};

/** The shared state store lives on the engine's side: each operation asks it there, and waits for the answer. */
function askHost(request: StateStoreRequest): unknown {
  flushMetrics();
  channel.post({ kind: 'host-request', request });
  channel.setState(STATE.HOST_REQUEST);
  channel.waitWhile([STATE.HOST_REQUEST], Infinity);
  const reply = channel.take();
  if (reply?.kind !== 'host-reply') throw new Error('isolated instance: the host sent no state store reply');
  channel.setState(STATE.CALL);
  // Rethrown as the store itself throws it, so the host import turns it into the WIT request-error.
  if (reply.requestError !== undefined) throw new StateStoreRequestError(reply.requestError);
  return reply.result;
}

const stateStore: StateStoreApi = {
  get: (key) => askHost({ op: 'get', key }) as ReturnType<StateStoreApi['get']>,
  set: (key, value, fencingToken, options) => askHost({ op: 'set', key, value, fencingToken, options }) as ReturnType<StateStoreApi['set']>,
  del: (key, fencingToken) => askHost({ op: 'del', key, fencingToken }) as ReturnType<StateStoreApi['del']>,
  vdel: (key, value, fencingToken) => askHost({ op: 'vdel', key, value, fencingToken }) as ReturnType<StateStoreApi['vdel']>,
};

const services: HostServices = {
  log,
  metrics: {
    addToCounter: (_operation, name, value, labels) => void metricOps.push({ kind: 'counter', name, value, labels }),
    recordToHistogram: (_operation, name, value, labels) => void metricOps.push({ kind: 'histogram', name, value, labels }),
  },
  stateStore,
  schemas: SchemaCatalog.of(data.schemas),
};

function flushMetrics(): void {
  if (metricOps.length > 0) channel.post({ kind: 'metrics', ops: metricOps.splice(0) });
}

let module: OperatorModule;
try {
  const component = await componentFromShared(data.component);
  module = OperatorModule.create({
    component,
    operation: data.operation,
    interface: data.interface,
    configuration: data.configuration,
    services,
    modelDirs: data.modelDirs,
  });
  flushMetrics();
  channel.setState(STATE.READY);
} catch (error) {
  channel.post({ kind: 'failed', error: transferError(error) });
  channel.setState(STATE.FAILED);
  throw error;
}

const out = new ByteWriter();
for (;;) {
  channel.waitWhile([STATE.IDLE, STATE.READY, STATE.REPLY], Infinity);
  const input = new ByteReader(channel.receive(channel.viaPort ? channel.takeBytes() : undefined));
  out.reset();
  try {
    serve(input);
  } catch (error) {
    out.reset();
    if (error instanceof OperatorFailure) {
      out.u8(error.kind === 'error' ? REPLY_STATUS.ERROR : REPLY_STATUS.TRAP);
      out.string(error.detail);
    } else {
      out.u8(REPLY_STATUS.HOST_FAILURE);
      out.string(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
  }
  flushMetrics();
  channel.send(out.bytes(), STATE.REPLY);
}

function serve(input: ByteReader): void {
  const method = CALL_METHODS[input.u8()]!;
  if (method === 'accumulate') {
    const staged = readItem(input);
    const batch = Array.from({ length: input.u32() }, () => readItem(input));
    const result = module.accumulate(staged, batch);
    out.u8(REPLY_STATUS.OK);
    return writeItem(out, result);
  }
  const item = readItem(input);
  out.u8(REPLY_STATUS.OK);
  if (method === 'map') return writeItem(out, module.map(item));
  if (method === 'delay') return writeHlc(out, module.delay(item));
  out.u8((method === 'filter' ? module.filter(item) : module.branch(item)) ? 1 : 0);
}
