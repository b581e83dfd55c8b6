/**
 * The module thread (see module-host.ts): starts an instance for each module operation of the run, then serves
 * calls from the shared channel for as long as it lives. It never returns to its event loop, so everything it does
 * is synchronous; the engine's side ends it with `terminate()`, which also stops a module caught in an endless loop.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { levelAtLeast, type LogLevel, type RunLog } from '../../../engine/run-log.js';
import { transferError } from '../../../util/transfer-error.js';
import type { HostServices } from '../../host/host-imports.js';
import { SchemaCatalog, type RegisteredSchema } from '../../host/schema-catalog.js';
import { StateStoreRequestError, type StateStoreApi } from '../../host/state-store.js';
import { componentFromShared, type ShareableComponent } from '../../load-component.js';
import { OperatorFailure } from '../../../engine/operator-failure.js';
import type { ModuleConfigurationInput } from '../../operator-module.js';
import { ModuleInstances } from '../module-instances.js';
import type { OperatorInterface } from '../../wit-names.js';
import { ByteReader, ByteWriter, readItem, writeHlc, writeItem, writeMetricOps } from './byte-codec.js';
import { CallChannel, STATE, type MetricOp, type StateStoreRequest, type ThreadReplacement } from './call-channel.js';
import { CALL_METHODS, REPLY_STATUS } from './call-methods.js';

/** What one run asks of the module thread: its operations and what their host services need. */
export interface ModuleThreadRun {
  operations: Array<{ component: ShareableComponent; operation: string; interface: OperatorInterface; configuration: ModuleConfigurationInput }>;
  schemas: RegisteredSchema[];
  logLevel: LogLevel;
  modelDirs: readonly string[];
}

export interface ModuleThreadData {
  shared: SharedArrayBuffer;
  port: MessagePort;
  run: ModuleThreadRun;
}

const data = workerData as ModuleThreadData;
const channel = new CallChannel(data.shared, data.port);
const metricOps: MetricOp[] = [];

let run = data.run;
const log: RunLog = {
  get minLevel() {
    return run.logLevel;
  },
  write(entry) {
    if (levelAtLeast(entry.level, run.logLevel)) channel.post({ kind: 'log', entry });
  },
};

/** The shared state store lives on the engine's side: each operation asks it there, and waits for the answer. */
function askHost(request: StateStoreRequest): unknown {
  channel.post({ kind: 'host-request', request });
  channel.setState(STATE.HOST_REQUEST);
  channel.waitWhile([STATE.HOST_REQUEST], Infinity);
  const reply = channel.take();
  if (reply?.kind !== 'host-reply') throw new Error('module thread: the host sent no state store reply');
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

let services: HostServices = servicesFor(run);

function servicesFor(forRun: ModuleThreadRun): HostServices {
  return {
    log,
    metrics: {
      addToCounter: (operation, name, value, labels) => void metricOps.push({ kind: 'counter', operation, name, value, labels }),
      recordToHistogram: (operation, name, value, labels) => void metricOps.push({ kind: 'histogram', operation, name, value, labels }),
    },
    stateStore,
    schemas: SchemaCatalog.of(forRun.schemas),
  };
}

/** Metrics recorded while starting; a call's own travel in its reply (writeMetricOps), a port message costing ~10 µs. */
function flushMetrics(): void {
  if (metricOps.length > 0) channel.post({ kind: 'metrics', ops: metricOps.splice(0) });
}

let instances = instancesFor(run);

function instancesFor(forRun: ModuleThreadRun): ModuleInstances {
  return new ModuleInstances({ services, modelDirs: forRun.modelDirs, onStarting: (index) => channel.post({ kind: 'starting', index }) });
}

/** Starts the run's instances; READY when all accepted their configuration, else FAILED with the first reason. */
async function startInstances(): Promise<void> {
  try {
    const operations = await Promise.all(run.operations.map(async (op) => ({ ...op, component: await componentFromShared(op.component) })));
    instances.start(operations);
    flushMetrics();
    channel.setState(STATE.READY);
  } catch (error) {
    channel.post({ kind: 'failed', error: transferError(error) });
    channel.setState(STATE.FAILED);
  }
}

/** A module swap (aio emulate --watch): ModuleInstances.replace; READY when all started, else FAILED (the old serve on). */
async function replaceInstances(replacements: ThreadReplacement[]): Promise<void> {
  try {
    const indexed = await Promise.all(
      replacements.map(async (r) => ({
        index: r.index,
        shared: { ...run.operations[r.index]!, component: r.component, configuration: r.configuration },
        operation: { ...run.operations[r.index]!, component: await componentFromShared(r.component), configuration: r.configuration },
      })),
    );
    instances.replace(indexed);
    for (const { index, shared } of indexed) run.operations[index] = shared;
  } catch (error) {
    channel.post({ kind: 'failed', error: transferError(error) });
    channel.setState(STATE.FAILED);
    return;
  }
  flushMetrics();
  channel.setState(STATE.READY);
}

await startInstances();

const out = new ByteWriter();
for (;;) {
  const state = channel.waitWhile([STATE.IDLE, STATE.READY, STATE.REPLY, STATE.FAILED], Infinity);
  if (state === STATE.RESET) {
    const message = channel.take();
    if (message?.kind !== 'reset') throw new Error(`module thread: expected a reset on the port, got ${message?.kind ?? 'nothing'}`);
    run = message.run;
    services = servicesFor(run);
    void instances.close();
    instances = instancesFor(run);
    await startInstances();
    continue;
  }
  if (state === STATE.REPLACE) {
    const message = channel.take();
    if (message?.kind !== 'replace') throw new Error(`module thread: expected a replace on the port, got ${message?.kind ?? 'nothing'}`);
    await replaceInstances(message.replacements);
    continue;
  }
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
  writeMetricOps(out, metricOps.splice(0));
  channel.send(out.bytes(), STATE.REPLY);
}

function serve(input: ByteReader): void {
  const method = CALL_METHODS[input.u8()]!;
  const module = instances.at(input.u32());
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
