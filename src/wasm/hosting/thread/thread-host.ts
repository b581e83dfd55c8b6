/**
 * A run's module instances on one thread of their own, called synchronously, for the modules that cannot bound
 * their own calls (see module-host.ts: a module blocking inside a host call, a module the rewriter refuses). Such
 * a call is synchronous WebAssembly: nothing on its own thread can interrupt it, and only terminating the thread
 * stops it. So the engine's thread hands each call over (call-channel.ts), waits at
 * most the deadline, and on expiry terminates the module thread: that item fails as `deadline`, naming the
 * operation, the item's timestamp and the limit, and the next call starts the instances anew (`init` bounded too)
 * while the rest of the graph, its windows and the state store, which lives on the engine's side, go on.
 *
 * One thread for all instances, not one each: a thread that just answered is still awake for the next call (a
 * sleeping one costs ~60 µs to wake on these machines, measured), and the instances of a run are called one at a
 * time anyway. The price: a deadline re-creates every instance of the run, not only the stuck one; module state
 * that must survive belongs in the state store, as in the cluster.
 *
 * Traps and error results are handled on the module thread as in-thread runs handle them (operator-module.ts).
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { errorMessage } from '../../../errors.js';
import type { Hlc } from '../../../engine/hlc.js';
import { OperatorFailure } from '../../../engine/operator-failure.js';
import type { Operator } from '../../../engine/operators.js';
import { receivedError, type TransferredError } from '../../../util/transfer-error.js';
import { StateStoreRequestError, type StateStore } from '../../host/state-store.js';
import {
  deadlineFailure,
  initDeadlineError,
  replacedOperations,
  type HostPlacement,
  type HostReplacement,
  type HostedOperation,
  type ModuleHost,
  type ModuleHostOptions,
} from '../module-host.js';
import { ByteReader, ByteWriter, readHlc, readItem, readMetricOps, writeItem } from './byte-codec.js';
import { CallChannel, STATE, type MetricOp, type PortMessage, type StateStoreRequest } from './call-channel.js';
import { CALL_METHODS, REPLY_STATUS, type CallMethod } from './call-methods.js';
import type { ModuleThreadData, ModuleThreadRun } from './module-thread.js';

export class ThreadModuleHost implements ModuleHost {
  private worker: Worker | undefined;
  private channel: CallChannel | undefined;
  private readonly out = new ByteWriter();
  private readonly stopping: Array<Promise<number>> = [];
  private startFailure: TransferredError | undefined;
  /** The operation whose instance the module thread was starting last: the one to name if start-up runs out of time. */
  private startingOperation: HostedOperation | undefined;

  private constructor(
    private options: ModuleHostOptions,
    readonly placement: HostPlacement & { kind: 'module-thread' },
  ) {}

  /** Starts every instance; throws a module's own start-up error (an AioError) or AIO_MODULE_INIT_DEADLINE. */
  static async start(options: ModuleHostOptions, placement: HostPlacement & { kind: 'module-thread' }): Promise<ThreadModuleHost> {
    const host = new ThreadModuleHost(options, placement);
    await host.started(host.spawn(), STATE.IDLE);
    return host;
  }

  /**
   * Serves another run on the same thread (aio test's cases, one after another): its instances are dropped and the
   * new run's started, which costs their instantiation only, not a thread and the modules' loading (~0.2 s).
   */
  async reset(options: ModuleHostOptions): Promise<void> {
    this.options = options;
    if (!this.channel) return this.started(this.spawn(), STATE.IDLE); // stopped at a deadline: a new thread
    const channel = this.channel;
    this.startFailure = undefined;
    this.startingOperation = undefined;
    channel.post({ kind: 'reset', run: this.threadRun() });
    channel.setState(STATE.RESET);
    await this.started(channel, STATE.RESET);
  }

  /** Waits (asynchronously) while the thread starts instances, then settles as `settleStart` says. */
  private async started(channel: CallChannel, whileState: number): Promise<void> {
    const deadline = performance.now() + this.options.limits.initDeadlineMs;
    // Atomics.waitAsync alone does not keep Node's event loop alive (and the thread is unref'd): a timer does, until
    // the wait has ended either way (a timeout of the wait's own length could fire first and let the process exit).
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      while (channel.state === whileState) {
        const left = deadline - performance.now();
        if (left <= 0) break;
        await Atomics.waitAsync(channel.control, 0, whileState, left).value;
      }
    } finally {
      clearInterval(keepAlive);
    }
    this.settleStart(channel);
  }

  /**
   * Starts the named operations anew with another module or configuration (a module swap), synchronously: the
   * engine calls nothing meanwhile, so the swap falls between two items. The new instances start (init, bounded by
   * the init deadline) before the old ones go; if one fails to start, the old instances go on serving and the
   * reason is thrown.
   */
  replace(replacements: readonly HostReplacement[]): void {
    const indexed = replacedOperations(this.options.operations, replacements);
    const apply = () => {
      for (const { index, operation } of indexed) this.options.operations[index] = operation;
    };
    const channel = this.channel;
    if (!channel) return apply(); // stopped at a deadline: the next call starts every instance, these with the new module
    this.startFailure = undefined;
    this.startingOperation = undefined;
    channel.post({
      kind: 'replace',
      replacements: indexed.map(({ index, operation }) => ({ index, component: operation.component.shareable, configuration: operation.configuration })),
    });
    channel.setState(STATE.REPLACE);
    const deadline = performance.now() + this.options.limits.initDeadlineMs;
    let state: number | undefined;
    // `init` may ask the state store, which lives here: answer it as during a call (the thread is then in CALL).
    do {
      state = channel.waitWhile([STATE.REPLACE, STATE.CALL, STATE.HOST_REPLY], deadline);
      if (channel.postedSince()) this.drain(channel);
    } while (state === STATE.HOST_REQUEST);
    this.drain(channel);
    if (state === STATE.READY) return apply();
    if (state === STATE.FAILED && this.startFailure) throw receivedError(this.startFailure, 'module thread');
    const starting = this.startingOperation ?? this.options.operations[indexed[0]!.index]!;
    this.stop(); // the old instances go with the thread; the next call starts them again, as after a deadline
    throw initDeadlineError(starting.operation, 'the new module', this.options.limits.initDeadlineMs, '; the old one serves on');
  }

  /** The engine's view of one hosted operation (by its index in `operations`). */
  operator(index: number): Operator {
    const call = <R>(method: CallMethod, timestamp: Hlc, write: (out: ByteWriter) => void, read: (input: ByteReader) => R): R =>
      this.call(index, method, timestamp, write, read);
    return {
      map: (item) => call('map', item.timestamp, (out) => writeItem(out, item), readItem),
      filter: (item) => call('filter', item.timestamp, (out) => writeItem(out, item), readBoolean),
      branch: (item) => call('branch', item.timestamp, (out) => writeItem(out, item), readBoolean),
      accumulate: (staged, batch) =>
        call(
          'accumulate',
          batch.at(-1)?.timestamp ?? staged.timestamp,
          (out) => {
            writeItem(out, staged);
            out.u32(batch.length);
            for (const item of batch) writeItem(out, item);
          },
          readItem,
        ),
      delay: (item) => call('delay', item.timestamp, (out) => writeItem(out, item), readHlc),
    };
  }

  /** Stops the module thread; no operation can be called afterwards. */
  async close(): Promise<void> {
    this.stop();
    await Promise.all(this.stopping);
  }

  private call<R>(index: number, method: CallMethod, timestamp: Hlc, write: (out: ByteWriter) => void, read: (input: ByteReader) => R): R {
    const operation = this.options.operations[index]!.operation;
    const channel = this.channel ?? this.restart(operation, timestamp);
    const out = this.out.reset();
    out.u8(CALL_METHODS.indexOf(method));
    out.u32(index);
    write(out);
    const deadline = performance.now() + this.options.limits.callDeadlineMs;
    channel.send(out.bytes(), STATE.CALL);
    let fromPort: Uint8Array | undefined;
    for (;;) {
      const state = channel.waitWhile([STATE.CALL, STATE.HOST_REPLY], deadline);
      if (channel.postedSince()) fromPort = this.drain(channel) ?? fromPort;
      if (state === undefined) throw this.pastDeadline(operation, timestamp);
      if (state === STATE.REPLY) break;
    }
    const input = new ByteReader(channel.receive(fromPort));
    channel.setState(STATE.IDLE);
    const status = input.u8();
    if (status === REPLY_STATUS.OK) {
      const result = read(input);
      this.record(readMetricOps(input));
      return result;
    }
    const detail = input.string();
    this.record(readMetricOps(input));
    if (status === REPLY_STATUS.ERROR) throw new OperatorFailure('error', operation, timestamp, detail);
    if (status === REPLY_STATUS.TRAP) throw new OperatorFailure('trap', operation, timestamp, detail);
    throw new Error(`module thread, operation ${operation}: ${detail}`);
  }

  /** Handles what the instance's thread posted: log lines, metrics, a state store request. Returns a call's bytes, if posted. */
  private drain(channel: CallChannel): Uint8Array | undefined {
    let bytes: Uint8Array | undefined;
    for (let message = channel.take(); message !== undefined; message = channel.take()) {
      if (message.kind === 'bytes') bytes = message.bytes;
      else this.handle(channel, message);
    }
    return bytes;
  }

  private handle(channel: CallChannel, message: PortMessage): void {
    const { services } = this.options;
    if (message.kind === 'log') services.log.write(message.entry);
    else if (message.kind === 'metrics') {
      for (const op of message.ops) {
        if (op.kind === 'counter') services.metrics.addToCounter(op.operation, op.name, op.value, op.labels);
        else services.metrics.recordToHistogram(op.operation, op.name, op.value, op.labels);
      }
    } else if (message.kind === 'host-request') {
      channel.post(this.answer(message.request));
      channel.setState(STATE.HOST_REPLY);
    } else if (message.kind === 'failed') this.startFailure = message.error;
    else if (message.kind === 'starting') this.startingOperation = this.options.operations[message.index];
  }

  private record(ops: MetricOp[]): void {
    const { metrics } = this.options.services;
    for (const op of ops) {
      if (op.kind === 'counter') metrics.addToCounter(op.operation, op.name, op.value, op.labels);
      else metrics.recordToHistogram(op.operation, op.name, op.value, op.labels);
    }
  }

  private answer(request: StateStoreRequest): PortMessage {
    const store = this.options.services.stateStore;
    try {
      const result =
        request.op === 'get'
          ? store.get(request.key)
          : request.op === 'set'
            ? store.set(request.key, request.value, request.fencingToken as Hlc | undefined, request.options as Parameters<StateStore['set']>[3])
            : request.op === 'del'
              ? store.del(request.key, request.fencingToken as Hlc | undefined)
              : store.vdel(request.key, request.value, request.fencingToken as Hlc | undefined);
      return { kind: 'host-reply', result };
    } catch (error) {
      if (error instanceof StateStoreRequestError) return { kind: 'host-reply', requestError: error.message };
      throw error;
    }
  }

  private pastDeadline(operation: string, timestamp: Hlc): OperatorFailure {
    this.stop();
    return deadlineFailure(operation, timestamp, this.options.limits.callDeadlineMs, "the run's module instances were");
  }

  /** After a deadline: new instances, started synchronously (the engine is in the middle of an item). */
  private restart(operation: string, timestamp: Hlc): CallChannel {
    const channel = this.spawn();
    channel.waitWhile([STATE.IDLE], performance.now() + this.options.limits.initDeadlineMs);
    try {
      this.settleStart(channel);
      return channel;
    } catch (error) {
      throw new OperatorFailure('trap', operation, timestamp, `could not re-create the module instances: ${errorMessage(error)}`);
    }
  }

  private spawn(): CallChannel {
    this.startFailure = undefined;
    this.startingOperation = undefined;
    const { port1, port2 } = new MessageChannel();
    const shared = CallChannel.sharedMemory();
    const data: ModuleThreadData = { shared, port: port2, run: this.threadRun() };
    this.worker = new Worker(new URL('./module-thread.js', import.meta.url), { workerData: data, transferList: [port2] });
    // Its failures arrive through the channel; an 'error' event without a listener would end the process.
    this.worker.on('error', () => undefined);
    this.worker.unref();
    this.channel = new CallChannel(shared, port1);
    return this.channel;
  }

  private threadRun(): ModuleThreadRun {
    const { operations, services, modelDirs } = this.options;
    return {
      operations: operations.map((op) => ({ ...op, component: op.component.shareable })),
      schemas: services.schemas.all(),
      logLevel: services.log.minLevel,
      modelDirs,
    };
  }

  /** After start-up: ready, or the module's own reason it could not start, or the init deadline. */
  private settleStart(channel: CallChannel): void {
    this.drain(channel);
    const state = channel.state;
    if (state === STATE.READY) return;
    this.stop();
    if (state === STATE.FAILED && this.startFailure) throw receivedError(this.startFailure, 'module thread');
    const starting = this.startingOperation ?? this.options.operations[0]!;
    throw initDeadlineError(starting.operation, starting.component.source, this.options.limits.initDeadlineMs);
  }

  private stop(): void {
    if (this.worker) this.stopping.push(this.worker.terminate());
    this.worker = undefined;
    this.channel = undefined;
  }
}

function readBoolean(input: ByteReader): boolean {
  return input.u8() === 1;
}
