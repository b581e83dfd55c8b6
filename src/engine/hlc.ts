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

/** Earlier than every timestamp: the frontier before any input. */
export const BEFORE_ALL: Hlc = Object.freeze({ secs: -Infinity, nanos: 0, counter: 0, nodeId: '' });
/** Later than every timestamp: the frontier once input has ended and every window may close. */
export const AFTER_ALL: Hlc = Object.freeze({ secs: Infinity, nanos: 0, counter: 0, nodeId: '' });

export function earlierOf(a: Hlc, b: Hlc): Hlc {
  return compareHlc(a, b) <= 0 ? a : b;
}

export function laterOf(a: Hlc, b: Hlc): Hlc {
  return compareHlc(a, b) >= 0 ? a : b;
}

export function hlcFromMillis(ms: number, counter = 0, nodeId = ''): Hlc {
  const secs = Math.floor(ms / 1000);
  return { secs, nanos: Math.round((ms - secs * 1000) * 1_000_000), counter, nodeId };
}

const TS_PATTERN = /^(\d{1,16}):(\d{1,10}):(.*)$/s;

/** Reads a `__ts` user property; undefined when it is not in the `<ms>:<counter>:<node id>` format. */
export function parseTs(text: string): Hlc | undefined {
  const match = TS_PATTERN.exec(text);
  if (!match) return undefined;
  return hlcFromMillis(Number(match[1]), Number(match[2]), match[3]);
}

/**
 * Assigns timestamps to items that arrive without `__ts`, like the cluster's source: physical time in
 * milliseconds, with the counter breaking ties so timestamps from one clock never repeat or go backwards.
 */
export class HlcClock {
  private lastMs = -1;
  private counter = 0;

  constructor(
    readonly nodeId: string,
    private readonly now: () => number = Date.now,
  ) {}

  next(): Hlc {
    const ms = Math.max(this.now(), this.lastMs);
    this.counter = ms === this.lastMs ? this.counter + 1 : 0;
    this.lastMs = ms;
    return hlcFromMillis(ms, this.counter, this.nodeId);
  }
}
