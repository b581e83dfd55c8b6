/**
 * Hybrid logical clock timestamps, as every item in a graph carries them. Kept as plain numbers inside the engine
 * (seconds fit a double exactly until the year 285 million); converted to the WIT `u64`s at the module boundary.
 */
export interface Hlc {
  /** Whole seconds since the Unix epoch. */
  secs: number;
  /** Nanoseconds within the second, 0..999,999,999. */
  nanos: number;
  /** Logical counter that orders events within the same physical time. */
  counter: number;
  /** The node that produced the timestamp. */
  nodeId: string;
}

/** Negative when `a` is earlier than `b`; node ids break ties so the order is total. */
export function compareHlc(a: Hlc, b: Hlc): number {
  return a.secs - b.secs || a.nanos - b.nanos || a.counter - b.counter || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0);
}

export function hlcToMillis(hlc: Hlc): number {
  return hlc.secs * 1000 + Math.floor(hlc.nanos / 1_000_000);
}

/** `__ts` user property: `<ms since epoch, 15 digits>:<counter, 5 digits>:<node id>`. */
export function formatTs(hlc: Hlc): string {
  return `${String(hlcToMillis(hlc)).padStart(15, '0')}:${String(hlc.counter).padStart(5, '0')}:${hlc.nodeId}`;
}
