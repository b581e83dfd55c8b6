/**
 * The graph worker's thread (graph-worker.ts), spawned before its run is planned. Loading its code (a hundred
 * modules: the engine, the wasm host) is a good part of the start of `aio emulate`; spawned first thing, it loads
 * while the main thread loads its own code, reads the graph and starts the broker, instead of after. The thread
 * waits for its run in a `start` message. Until a run takes it, it holds nothing up: it keeps no process alive.
 * Kept apart from graph-worker.ts so the command can spawn it before loading anything else.
 */
import { Worker } from 'node:worker_threads';

export class GraphThread {
  /** Why the thread failed before a run took it (it could not load its code); the run that takes it reports it. */
  failure: Error | undefined;
  private taken = false;

  private constructor(private readonly thread: Worker) {
    thread.unref();
    // An `error` without a listener would end the process.
    thread.once('error', (error) => (this.failure = error));
  }

  /** A thread for a run: the spare when one was spawned ahead and is still free, else a new one. */
  static spawn(): GraphThread {
    const thread = spare ?? new GraphThread(new Worker(new URL('./graph-worker-thread.js', import.meta.url)));
    spare = undefined;
    return thread;
  }

  /** Spawns a thread now for the next run of this process to take (GraphThread.spawn). */
  static spawnSpare(): void {
    spare ??= GraphThread.spawn();
  }

  /** Ends the spare, if no run took it (this process will not run a graph after all). */
  static async discardSpare(): Promise<void> {
    const thread = spare;
    spare = undefined;
    await thread?.discard();
  }

  /** The thread, for the one run that takes it; from now on it keeps the process alive. */
  take(): Worker {
    if (this.taken) throw new Error('graph worker: a spawned thread serves one run');
    this.taken = true;
    this.thread.ref();
    return this.thread;
  }

  /** Ends the thread if no run took it (its run ended before it started). */
  async discard(): Promise<void> {
    if (!this.taken) await this.thread.terminate();
  }
}

let spare: GraphThread | undefined;
