import { LatencyHistogram } from './latency-histogram.js';

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
