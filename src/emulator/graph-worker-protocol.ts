/** The messages between the main thread and the graph worker (graph-worker.ts, graph-worker-thread.ts). */
import type { OperationStatsSnapshot } from '../engine/operation-stats.js';
import { AioError, type AioErrorOptions } from '../errors.js';
import type { LogEntry, LogLevel } from '../engine/run-log.js';
import type { LoadedModule, RunPlan } from '../run/instantiate-run.js';

export interface GraphWorkerData {
  plan: RunPlan;
  sinkTopic: string;
  qos: 0 | 1;
  logLevel: LogLevel;
}

export type ToWorker =
  /** Source publishes, packed by PublishBatchWriter. */
  | { kind: 'input'; batch: ArrayBuffer }
  /** Input has ended: close every window, release everything, report. */
  | { kind: 'finish' };

export type FromWorker =
  | { kind: 'module-loaded'; module: LoadedModule }
  | { kind: 'ready'; stats: OperationStatsSnapshot[] }
  | { kind: 'failed'; error: TransferredError }
  /** After each message handled: how many source publishes it held, and what came of them. */
  | { kind: 'progress'; handled: number; outputs: ArrayBuffer | undefined; logs: LogEntry[]; stats: OperationStatsSnapshot[] | undefined; finished: boolean };

/** An error as it can cross threads; an AioError keeps its code, hint, exit status and location. */
export type TransferredError =
  | { aio: true; code: string; message: string; options: AioErrorOptions }
  | { aio: false; message: string; stack: string | undefined };

export function transferError(error: unknown): TransferredError {
  if (error instanceof AioError) {
    const options: AioErrorOptions = {
      exit: error.exit,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.location === undefined ? {} : { location: error.location }),
    };
    return { aio: true, code: error.code, message: error.message, options };
  }
  const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
  return { aio: false, message, stack };
}

export function receivedError(error: TransferredError): Error {
  if (error.aio) return new AioError(error.code, error.message, error.options);
  const received = new Error(`graph worker: ${error.message}`);
  if (error.stack !== undefined) received.stack = `${received.message}\n--- in the worker ---\n${error.stack}`;
  return received;
}
