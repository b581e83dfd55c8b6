/**
 * The graph on a worker thread, fed by the embedded broker on the main thread. The broker's own work per message
 * (parsing, routing, QoS books, socket writes) already fills a thread; run there too, the modules' calls would
 * halve what it forwards. On a thread of their own they overlap with it, and what the main thread adds per
 * message is packing the publish into a batch and unpacking the graph's outputs (publish-batch.ts).
 *
 * Order is kept: one worker, batches in order, the engine's order inside. Nothing is lost: a batch handed over is
 * handled before `finish` resolves. Memory is bounded: past MAX_BACKLOG publishes not yet handled, `whenRoom`
 * holds the caller, which holds the publisher's acknowledgement.
 */
import type { Worker } from 'node:worker_threads';
import { GraphThread } from './graph-thread.js';
import { OperationStats, type HasOperationStats } from '../engine/operation-stats.js';
import type { RunLog } from '../engine/run-log.js';
import type { MetricSeries } from '../wasm/host/metrics.js';
import type { InProcessPacket } from '../mqtt/embedded-broker.js';
import type { FromWorker, GraphWorkerData, ToWorker } from './graph-worker-protocol.js';
import { receivedError } from '../util/transfer-error.js';
import type { LoadedModule, RunPlan } from '../run/instantiate-run.js';
import { PublishBatchWriter, readPublishBatch } from './publish-batch.js';
import { controlAsking, type RunControl, type RunQuestion } from './run-control.js';

/** Source publishes handed to the worker and not yet handled; above this many, `whenRoom` waits. */
export const MAX_BACKLOG = 10_000;

export interface GraphWorkerOptions {
  plan: RunPlan;
  sinkTopic: string;
  qos: 0 | 1;
  /** Receives the worker's module and host log entries (already at or above its level). */
  log: RunLog;
  onModuleLoaded?: (loaded: LoadedModule) => void;
  /** Every sink publish, in order. */
  onOutput: (packet: InProcessPacket) => void;
  /** Append each message's journey through the graph here (JSON lines). */
  traceFile?: string | undefined;
  /** Keep each operation's last items, with their journeys, for the dashboard (`inspect`). */
  inspect?: boolean;
  /** `--step` on the process's terminal. */
  step?: boolean;
}

export class GraphWorker implements HasOperationStats {
  readonly stats: OperationStats[];
  /** What the modules recorded through the metrics interface, as of the last counts from the thread. */
  moduleMetrics: MetricSeries[] = [];
  private readonly batch = new PublishBatchWriter();
  private flushScheduled = false;
  private sent = 0;
  private handled = 0;
  private waiting: Array<() => void> = [];
  private readonly questions = new Map<number, { resolve: (answer: unknown) => void; reject: (error: Error) => void }>();
  private lastQuestion = 0;
  private finished: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private rejectFailed: (error: Error) => void = () => undefined;
  /** Rejects when the worker fails (a bug: module errors are counted and logged, not failures). */
  readonly failed: Promise<never>;

  /**
   * Gives the thread (spawned beforehand, or now) its run and resolves once every module is loaded; rejects with
   * the reason it could not.
   */
  static async start(options: GraphWorkerOptions, spawned: GraphThread = GraphThread.spawn()): Promise<GraphWorker> {
    const data: GraphWorkerData = {
      plan: options.plan,
      sinkTopic: options.sinkTopic,
      qos: options.qos,
      logLevel: options.log.minLevel,
      traceFile: options.traceFile,
      inspect: options.inspect === true,
      step: options.step === true,
    };
    const thread = spawned.take();
    thread.postMessage({ kind: 'start', data } satisfies ToWorker);
    // Named, to be taken off again one by one: removeAllListeners() also took listeners the Worker relies on, and
    // later messages stopped arriving.
    let onMessage!: (message: FromWorker) => void;
    let onError!: (error: Error) => void;
    let onExit!: (code: number) => void;
    try {
      const stats = await new Promise<OperationStats[]>((resolve, reject) => {
        onMessage = (message) => {
          if (message.kind === 'module-loaded') options.onModuleLoaded?.(message.module);
          else if (message.kind === 'ready') resolve(message.stats.map((s) => OperationStats.fromSnapshot(s)));
          else if (message.kind === 'failed') reject(receivedError(message.error));
        };
        onError = reject;
        onExit = (code) => reject(spawned.failure ?? new Error(`graph worker: exited with code ${code} while loading`));
        thread.on('message', onMessage).on('error', onError).on('exit', onExit);
        if (spawned.failure) reject(spawned.failure);
      });
      return new GraphWorker(thread, options, stats);
    } catch (error) {
      await thread.terminate();
      throw error;
    } finally {
      thread.off('message', onMessage).off('error', onError).off('exit', onExit);
    }
  }

  private constructor(
    private readonly thread: Worker,
    private readonly options: GraphWorkerOptions,
    stats: OperationStats[],
  ) {
    this.stats = stats;
    this.failed = new Promise<never>((_resolve, reject) => (this.rejectFailed = reject));
    this.failed.catch(() => undefined); // only a running run awaits it
    thread.on('message', (message: FromWorker) => this.received(message));
    thread.on('error', (error) => this.fail(error));
    thread.on('exit', this.exitedEarly);
  }

  /** Hands a source publish to the graph (batched with the others of this turn of the event loop). */
  push(packet: InProcessPacket): void {
    this.batch.append(packet);
    this.sent++;
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Source publishes handed over and not yet handled. */
  get backlog(): number {
    return this.sent - this.handled;
  }

  /** Calls `ready` at once while the backlog is below MAX_BACKLOG, else once the worker has caught up with some. */
  whenRoom(ready: () => void): void {
    if (this.sent - this.handled < MAX_BACKLOG) ready();
    else this.waiting.push(ready);
  }

  /** What the dashboard and module swaps ask of the graph's thread; it answers between two batches of input. */
  readonly control: RunControl = controlAsking((question) => this.ask(question));

  private ask(question: RunQuestion): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.lastQuestion;
    return new Promise((resolve, reject) => {
      this.questions.set(id, { resolve, reject });
      this.send({ kind: 'ask', id, question });
    });
  }

  /** Input has ended: resolves once everything handed over is handled, every window closed and reported. */
  finish(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.finished = { resolve, reject };
      this.send({ kind: 'finish' });
    });
  }

  private readonly exitedEarly = (code: number) => this.fail(new Error(`graph worker: exited with code ${code}`));

  async terminate(): Promise<void> {
    this.thread.off('exit', this.exitedEarly);
    await this.thread.terminate();
  }

  private send(message: ToWorker): void {
    this.flush(); // first the publishes before it, so `finish` comes after them
    this.thread.postMessage(message);
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.batch.take();
    if (batch) this.thread.postMessage({ kind: 'input', batch } satisfies ToWorker, [batch]);
  }

  private received(message: FromWorker): void {
    if (message.kind === 'failed') return this.fail(receivedError(message.error));
    if (message.kind === 'answer') {
      const question = this.questions.get(message.id);
      this.questions.delete(message.id);
      if (message.error) question?.reject(receivedError(message.error));
      else question?.resolve(message.answer);
      return;
    }
    if (message.kind !== 'progress') return;
    for (const entry of message.logs) this.options.log.write(entry);
    if (message.outputs) readPublishBatch(message.outputs, this.options.onOutput);
    if (message.stats) message.stats.forEach((s, i) => this.stats[i]!.restore(s));
    if (message.moduleMetrics) this.moduleMetrics = message.moduleMetrics;
    this.handled += message.handled;
    while (this.waiting.length > 0 && this.sent - this.handled < MAX_BACKLOG) this.waiting.shift()!();
    if (message.finished) this.finished?.resolve();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.finished?.reject(error);
    for (const question of this.questions.values()) question.reject(error);
    this.questions.clear();
    this.rejectFailed(error);
  }
}
