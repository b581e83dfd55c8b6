/** The messages between the main thread and the graph worker (graph-worker.ts, graph-worker-thread.ts). */
import type { OperationStatsSnapshot } from '../engine/operation-stats.js';
import type { MetricSeries } from '../wasm/host/metrics.js';
import type { LogEntry, LogLevel } from '../engine/run-log.js';
import type { LoadedModule, RunPlan } from '../run/instantiate-run.js';
import type { RunQuestion } from './run-control.js';
import type { TransferredError } from '../util/transfer-error.js';

export interface GraphWorkerData {
  plan: RunPlan;
  sinkTopic: string;
  qos: 0 | 1;
  logLevel: LogLevel;
  traceFile: string | undefined;
  /** Keep each operation's last items, with their journeys, for the dashboard, and answer `inspect`. */
  inspect: boolean;
  /** `--step`: stop before each item enters an operation, on the process's terminal. */
  step: boolean;
}

export type ToWorker =
  /** The first message: the run (the thread is spawned before the run is planned, see GraphThread). */
  | { kind: 'start'; data: GraphWorkerData }
  /** Source publishes, packed by PublishBatchWriter. */
  | { kind: 'input'; batch: ArrayBuffer }
  /** Input has ended: close every window, release everything, report. */
  | { kind: 'finish' }
  /** The dashboard or a module swap asks; answered with an `answer` of the same id, between two batches. */
  | { kind: 'ask'; id: number; question: RunQuestion };

export type FromWorker =
  | { kind: 'module-loaded'; module: LoadedModule }
  | { kind: 'ready'; stats: OperationStatsSnapshot[] }
  | { kind: 'failed'; error: TransferredError }
  | { kind: 'answer'; id: number; answer?: unknown; error?: TransferredError }
  /** After each message handled: how many source publishes it held, and what came of them. */
  | {
      kind: 'progress';
      handled: number;
      outputs: ArrayBuffer | undefined;
      logs: LogEntry[];
      /** Now and then: the counts, and what the modules recorded through the metrics interface. */
      stats: OperationStatsSnapshot[] | undefined;
      moduleMetrics: MetricSeries[] | undefined;
      finished: boolean;
    };
