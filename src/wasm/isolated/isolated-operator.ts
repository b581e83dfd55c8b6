/**
 * One operation's module on a thread of its own, called synchronously, so that a call can be given a deadline.
 * A module call is synchronous WebAssembly: nothing on its own thread can interrupt an endless loop, and only
 * terminating the thread stops it. So the engine's thread hands each call over (call-channel.ts), waits at most
 * the deadline, and on expiry terminates the instance's thread: that item fails as `deadline`, naming the
 * operation, the item's timestamp and the limit, and the next call starts a new instance (its `init` bounded too)
 * while the rest of the graph, its windows and the state store, which lives on the engine's side, go on.
 *
 * Traps and error results are handled on the instance's thread as in-thread runs handle them (operator-module.ts).
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { AioError, errorMessage } from '../../errors.js';
import type { Hlc } from '../../engine/hlc.js';
import type { Item } from '../../engine/message.js';
import { OperatorFailure } from '../../engine/operator-failure.js';
import type { Operator } from '../../engine/operators.js';
import { receivedError, type TransferredError } from '../../util/transfer-error.js';
import type { HostServices } from '../host/host-imports.js';
import type { MetricsRegistry } from '../host/metrics.js';
import type { SchemaCatalog } from '../host/schema-catalog.js';
import { StateStoreRequestError, type StateStore } from '../host/state-store.js';
import type { LoadedComponent } from '../load-component.js';
import type { ModuleConfigurationInput } from '../operator-module.js';
import type { OperatorInterface } from '../wit-names.js';
import { ByteReader, ByteWriter, readHlc, readItem, writeItem } from './byte-codec.js';
import { CallChannel, STATE, type PortMessage, type StateStoreRequest } from './call-channel.js';
import { CALL_METHODS, REPLY_STATUS, type CallMethod } from './call-methods.js';
import type { OperatorThreadData } from './operator-thread.js';

export interface ModuleLimits {
  /** How long one module call may take, in ms. */
  callDeadlineMs: number;
  /** How long starting an instance (instantiation and `init`) may take, in ms. */
  initDeadlineMs: number;
}

export interface IsolatedOperatorOptions {
  component: LoadedComponent;
  operation: string;
  interface: OperatorInterface;
  configuration: ModuleConfigurationInput;
  services: HostServices & { stateStore: StateStore; metrics: MetricsRegistry; schemas: SchemaCatalog };
  limits: ModuleLimits;
  modelDirs?: readonly string[];
}

export class IsolatedOperator implements Operator {
  private worker: Worker | undefined;
  private channel: CallChannel | undefined;
  private readonly out = new ByteWriter();
  private readonly stopping: Array<Promise<number>> = [];
  private startFailure: TransferredError | undefined;
  /** How many instances were stopped at their deadline and replaced. */
  restarts = 0;

  private constructor(private readonly options: IsolatedOperatorOptions) {}

  /** Starts the instance; throws the module's own start-up error (an AioError) or AIO_MODULE_INIT_DEADLINE. */
  static async start(options: IsolatedOperatorOptions): Promise<IsolatedOperator> {
    const operator = new IsolatedOperator(options);
    const channel = operator.spawn();
    const deadline = performance.now() + options.limits.initDeadlineMs;
    // Atomics.waitAsync alone does not keep Node's event loop alive (and the thread is unref'd): a timer does, until
    // the wait has ended either way (a timeout of the wait's own length could fire first and let the process exit).
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      while (channel.state === STATE.IDLE) {
        const left = deadline - performance.now();
        if (left <= 0) break;
        await Atomics.waitAsync(channel.control, 0, STATE.IDLE, left).value;
      }
    } finally {
      clearInterval(keepAlive);
    }
    operator.settleStart(channel);
    return operator;
  }

  map(item: Item): Item {
    return this.call('map', item.timestamp, (out) => writeItem(out, item), readItem);
  }

  filter(item: Item): boolean {
    return this.call('filter', item.timestamp, (out) => writeItem(out, item), readBoolean);
  }

  branch(item: Item): boolean {
    return this.call('branch', item.timestamp, (out) => writeItem(out, item), readBoolean);
  }

  accumulate(staged: Item, batch: Item[]): Item {
    const timestamp = batch.at(-1)?.timestamp ?? staged.timestamp;
    return this.call(
      'accumulate',
      timestamp,
      (out) => {
        writeItem(out, staged);
        out.u32(batch.length);
        for (const item of batch) writeItem(out, item);
      },
      readItem,
    );
  }

  delay(item: Item): Hlc {
    return this.call('delay', item.timestamp, (out) => writeItem(out, item), readHlc);
  }

  /** Stops the instance's thread; the operator cannot be called afterwards. */
  async close(): Promise<void> {
    this.stop();
    await Promise.all(this.stopping);
  }

  private call<R>(method: CallMethod, timestamp: Hlc, write: (out: ByteWriter) => void, read: (input: ByteReader) => R): R {
    const channel = this.channel ?? this.restart(timestamp);
    const out = this.out.reset();
    out.u8(CALL_METHODS.indexOf(method));
    write(out);
    const deadline = performance.now() + this.options.limits.callDeadlineMs;
    channel.send(out.bytes(), STATE.CALL);
    let fromPort: Uint8Array | undefined;
    for (;;) {
      const state = channel.waitWhile([STATE.CALL, STATE.HOST_REPLY], deadline);
      if (channel.postedSince()) fromPort = this.drain(channel) ?? fromPort;
      if (state === undefined) throw this.pastDeadline(timestamp);
      if (state === STATE.REPLY) break;
    }
    const input = new ByteReader(channel.receive(fromPort));
    channel.setState(STATE.IDLE);
    const status = input.u8();
    if (status === REPLY_STATUS.OK) return read(input);
    const detail = input.string();
    if (status === REPLY_STATUS.ERROR) throw new OperatorFailure('error', this.options.operation, timestamp, detail);
    if (status === REPLY_STATUS.TRAP) throw new OperatorFailure('trap', this.options.operation, timestamp, detail);
    throw new Error(`isolated instance of ${this.options.operation}: ${detail}`);
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
    const { services, operation } = this.options;
    if (message.kind === 'log') services.log.write(message.entry);
    else if (message.kind === 'metrics') {
      for (const op of message.ops) {
        if (op.kind === 'counter') services.metrics.addToCounter(operation, op.name, op.value, op.labels);
        else services.metrics.recordToHistogram(operation, op.name, op.value, op.labels);
      }
    } else if (message.kind === 'host-request') {
      channel.post(this.answer(message.request));
      channel.setState(STATE.HOST_REPLY);
    } else if (message.kind === 'failed') this.startFailure = message.error;
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

  private pastDeadline(timestamp: Hlc): OperatorFailure {
    this.stop();
    const limit = this.options.limits.callDeadlineMs;
    return new OperatorFailure(
      'deadline',
      this.options.operation,
      timestamp,
      `no result within ${limit} ms (the call deadline; --call-deadline or emulator.callDeadline in aio.yaml); ` +
        'the instance was stopped and a new one starts for the next item',
    );
  }

  /** After a deadline: a new instance, started synchronously (the engine is in the middle of an item). */
  private restart(timestamp: Hlc): CallChannel {
    this.restarts++;
    const channel = this.spawn();
    channel.waitWhile([STATE.IDLE], performance.now() + this.options.limits.initDeadlineMs);
    try {
      this.settleStart(channel);
      return channel;
    } catch (error) {
      throw new OperatorFailure('trap', this.options.operation, timestamp, `could not re-create the instance: ${errorMessage(error)}`);
    }
  }

  private spawn(): CallChannel {
    const { component, operation, configuration, services } = this.options;
    const { port1, port2 } = new MessageChannel();
    const shared = CallChannel.sharedMemory();
    const data: OperatorThreadData = {
      shared,
      port: port2,
      component: component.shareable,
      operation,
      interface: this.options.interface,
      configuration,
      schemas: services.schemas.all(),
      logLevel: services.log.minLevel,
      modelDirs: this.options.modelDirs ?? [],
    };
    this.worker = new Worker(new URL('./operator-thread.js', import.meta.url), { workerData: data, transferList: [port2] });
    // Its failures arrive through the channel; an 'error' event without a listener would end the process.
    this.worker.on('error', () => undefined);
    this.worker.unref();
    this.channel = new CallChannel(shared, port1);
    return this.channel;
  }

  /** After start-up: ready, or the module's own reason it could not start, or the init deadline. */
  private settleStart(channel: CallChannel): void {
    this.drain(channel);
    const state = channel.state;
    if (state === STATE.READY) return;
    this.stop();
    if (state === STATE.FAILED && this.startFailure) throw receivedError(this.startFailure, 'isolated instance');
    const { operation, component, limits } = this.options;
    throw new AioError(
      'AIO_MODULE_INIT_DEADLINE',
      `operation ${operation}: ${component.source} did not finish starting (init) within ${limits.initDeadlineMs} ms`,
      {
        hint: 'The module may loop in init, or need longer to start: raise --init-deadline (or emulator.initDeadline in aio.yaml).',
      },
    );
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
