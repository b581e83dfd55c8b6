/** Conversions between engine values and the JavaScript shapes jco uses for WIT types (u64 → bigint, etc.). */
import type { Hlc } from '../engine/hlc.js';

/** WIT `hybrid-logical-clock` as jco represents it. */
export interface WitHlc {
  timestamp: { secs: bigint; nanos: number };
  counter: bigint;
  nodeId: string;
}

export function toWitHlc(hlc: Hlc): WitHlc {
  return { timestamp: { secs: BigInt(hlc.secs), nanos: hlc.nanos }, counter: BigInt(hlc.counter), nodeId: hlc.nodeId };
}

export function fromWitHlc(hlc: WitHlc): Hlc {
  return { secs: Number(hlc.timestamp.secs), nanos: hlc.timestamp.nanos, counter: Number(hlc.counter), nodeId: hlc.nodeId };
}

/** WIT `duration { seconds, nanos }` → milliseconds. */
export function durationMs(duration: { seconds: bigint; nanos: number } | undefined): number | undefined {
  return duration === undefined ? undefined : Number(duration.seconds) * 1000 + Math.floor(duration.nanos / 1_000_000);
}
