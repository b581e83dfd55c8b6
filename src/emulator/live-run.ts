/**
 * What both MQTT modes share (mqtt-run.ts on an external broker, embedded-run.ts on the embedded one): their
 * events and result, the live frontier's timing, and waiting for an interrupt or a drain. Apart from mqtt-run.ts
 * so the embedded broker's path does not load mqtt.js.
 */
import { AioError } from '../errors.js';
import type { HasOperationStats } from '../engine/operation-stats.js';

export type MqttRunEvent =
  | { kind: 'subscribed'; topics: readonly string[]; engine: HasOperationStats }
  | { kind: 'connection-lost'; reason: string }
  | { kind: 'reconnecting'; delayMs: number }
  | { kind: 'reconnected' }
  | { kind: 'draining'; pending: number };

export interface MqttRunResult {
  engine: HasOperationStats;
  received: number;
  published: number;
}

/** In live mode the frontier follows the wall clock, this far behind, so windows close while input is idle. */
export const LIVE_LATENESS_MS = 1000;
export const FRONTIER_TICK_MS = 250;
/** How long an interrupted run waits for the broker to take its last outputs before reporting them undelivered. */
export const DRAIN_TIMEOUT_MS = 15_000;

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
