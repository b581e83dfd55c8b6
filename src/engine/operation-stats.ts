import { LatencyHistogram } from './latency-histogram.js';

export interface OperationStatsSnapshot {
  operation: string;
  type: string;
  in: number;
  out: number;
  dropped: number;
  errors: number;
  latency: Uint32Array;
  latencySumMicros: number;
}

/** What a run reports per operation, in the graph file's order: the engine's own, or a copy of a worker's. */
export interface HasOperationStats {
  readonly stats: readonly OperationStats[];
}

/** What the summary table and live view show per operation. */
export class OperationStats {
  /** Items that arrived at the operation. */
  in = 0;
  /** Items it passed on (a branch counts once per item, whichever arm). */
  out = 0;
  /** Items it removed on purpose: filtered out, late for a closed window, rejected by the payload schema. */
  dropped = 0;
  /** Items lost to a module error or trap; each is also logged. */
  errors = 0;
  /** Time spent in the module per call; empty for built-in operations. */
  readonly latency = new LatencyHistogram();

  constructor(
    readonly operation: string,
    readonly type: string,
  ) {}

  /** Plain data, to copy the counts to another thread (the graph worker's to the main thread's). */
  snapshot(): OperationStatsSnapshot {
    return {
      operation: this.operation,
      type: this.type,
      in: this.in,
      out: this.out,
      dropped: this.dropped,
      errors: this.errors,
      latency: this.latency.snapshot(),
      latencySumMicros: this.latency.sumMicros,
    };
  }

  static fromSnapshot(snapshot: OperationStatsSnapshot): OperationStats {
    const stats = new OperationStats(snapshot.operation, snapshot.type);
    stats.restore(snapshot);
    return stats;
  }

  /** Takes over a newer snapshot of the same operation's counts. */
  restore(snapshot: OperationStatsSnapshot): void {
    this.in = snapshot.in;
    this.out = snapshot.out;
    this.dropped = snapshot.dropped;
    this.errors = snapshot.errors;
    this.latency.restore(snapshot.latency, snapshot.latencySumMicros);
  }

  toJSON(): Record<string, unknown> {
    return {
      operation: this.operation,
      type: this.type,
      in: this.in,
      out: this.out,
      dropped: this.dropped,
      errors: this.errors,
      p50Micros: round(this.latency.quantile(0.5)),
      p99Micros: round(this.latency.quantile(0.99)),
    };
  }
}

function round(micros: number | undefined): number | null {
  return micros === undefined ? null : Math.round(micros * 10) / 10;
}
