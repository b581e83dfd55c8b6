/**
 * What both MQTT modes share (mqtt-run.ts on an external broker, embedded-run.ts on the embedded one): their
 * events and result, the live frontier's timing, and waiting for an interrupt or a drain. Apart from mqtt-run.ts
 * so the embedded broker's path does not load mqtt.js.
 */
import { AioError } from '../errors.js';
import type { RunControl } from './run-control.js';
import type { HasOperationStats } from '../engine/operation-stats.js';
import type { MetricSeries } from '../wasm/host/metrics.js';

export type MqttRunEvent =
  | {
      kind: 'subscribed';
      topics: readonly string[];
      engine: HasOperationStats;
      moduleMetrics: () => readonly MetricSeries[];
      /** The dashboard's questions (answered from what the run keeps only with `inspect`) and module swaps. */
      control: RunControl;
    }
  | { kind: 'connection-lost'; reason: string }
  | { kind: 'reconnecting'; delayMs: number }
  | { kind: 'reconnected' }
  /** Input stops; `backlog` accepted messages are not processed yet, and will be before the run ends. */
  | { kind: 'interrupted'; backlog: number }
  | { kind: 'draining'; pending: number };

/** What both live drivers take besides their broker and modules. */
export interface LiveRunOptions {
  sourceTopics: readonly string[];
  sinkTopic: string;
  qos: 0 | 1;
  /** Aborting stops input, drains what is in flight, and ends the run. */
  signal: AbortSignal;
  onEvent?: (event: MqttRunEvent) => void;
  /** `--trace-file`: append each message's journey here. */
  traceFile?: string | undefined;
  /** `--ui`: keep each operation's last items, with their journeys, for the dashboard. */
  inspect?: boolean;
  /** `--step`: stop before each item enters an operation, on the terminal. */
  step?: boolean;
}

/**
 * The abort reason of a run stopped to be started again (`--watch`), so its "interrupted" line says the run restarts
 * rather than that it stops.
 */
export const RUN_RESTART = Symbol('run restart');

export interface MqttRunResult {
  engine: HasOperationStats;
  received: number;
  published: number;
}

/** Once the source has been idle this long, the frontier moves on with the wall clock, this far behind. */
export const LIVE_LATENESS_MS = 1000;
export const FRONTIER_TICK_MS = 250;
/** How long an interrupted run waits for the broker to take its last outputs before reporting them undelivered. */
export const DRAIN_TIMEOUT_MS = 15_000;

/**
 * The live frontier rule. While input flows, the frontier follows event time: each item moves it to its own
 * timestamp (the engine does that on push), so traffic replayed with yesterday's `__ts` closes its windows as its
 * own clock passes them, as the cluster did. Once the source has been idle for LIVE_LATENESS_MS, event time goes on
 * at the wall clock's pace from the latest item (less LIVE_LATENESS_MS), so the last windows close without more
 * input. For live traffic, whose items carry the time they arrived, that is the wall clock itself. Before the first
 * item the frontier stays put: a replay that starts into a waiting graph finds no window closed. Had the wall clock
 * ruled throughout, every replayed item would reach a window already closed and be dropped as late.
 */
export class LiveFrontier {
  private latestEventMillis: number | undefined;
  private lastInputAt = 0;
  private readonly ticker: NodeJS.Timeout;

  /** `advance(millis)` tells the graph that nothing earlier than `millis` is expected any more. */
  constructor(advance: (millis: number) => void) {
    this.ticker = setInterval(() => {
      if (this.latestEventMillis === undefined) return;
      const idle = Date.now() - this.lastInputAt;
      if (idle >= LIVE_LATENESS_MS) advance(this.latestEventMillis + idle - LIVE_LATENESS_MS);
    }, FRONTIER_TICK_MS);
  }

  /** An item with this event time entered the graph. */
  noteInput(eventMillis: number): void {
    if (this.latestEventMillis === undefined || eventMillis > this.latestEventMillis) this.latestEventMillis = eventMillis;
    this.lastInputAt = Date.now();
  }

  stop(): void {
    clearInterval(this.ticker);
  }
}

export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

export async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

/**
 * The drain contract of every live driver: after an interrupt, wait up to `timeoutMs` for the broker to take every
 * output; then any output still pending, or that the broker refused, ends the run with AIO_EMULATE_UNDELIVERED
 * (exit 4) saying how many, never silently.
 */
export async function settleOutputs(outputs: { pending(): number; failed(): number }, timeoutMs: number, hint: string): Promise<void> {
  await until(() => outputs.pending() === 0, timeoutMs);
  const pending = outputs.pending();
  const failed = outputs.failed();
  if (pending === 0 && failed === 0) return;
  const parts = [
    pending > 0 ? `${pending} output message(s) were not acknowledged by the broker before shutdown` : '',
    failed > 0 ? `${failed} output message(s) were refused by the broker` : '',
  ].filter(Boolean);
  throw new AioError('AIO_EMULATE_UNDELIVERED', parts.join('; '), { hint });
}
