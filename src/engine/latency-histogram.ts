/**
 * Per-operation call latency with constant memory: log-scale buckets 5 % wide from 0.1 µs to about 100 s, so
 * p50/p99 stay within 5 % over any number of calls (a million messages must not grow the emulator's heap).
 */
const MIN_MICROS = 0.1;
const GROWTH = 1.05;
const BUCKETS = 600;
const LOG_GROWTH = Math.log(GROWTH);

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  /** Total of every recorded latency, in microseconds (Prometheus' `_sum`). */
  sumMicros = 0;

  record(micros: number): void {
    this.sumMicros += micros;
    const index = micros <= MIN_MICROS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(micros / MIN_MICROS) / LOG_GROWTH));
    this.counts[index]!++;
    this.count++;
  }

  /** The bucket counts, to copy the histogram to another thread. */
  snapshot(): Uint32Array {
    return this.counts.slice();
  }

  /** Takes over a snapshot's counts and sum. */
  restore(counts: Uint32Array, sumMicros: number): void {
    this.counts.set(counts);
    this.count = counts.reduce((n, c) => n + c, 0);
    this.sumMicros = sumMicros;
  }

  /** How many calls took at most `micros` (to within one 5 % bucket), for cumulative histogram buckets. */
  countAtMost(micros: number): number {
    let total = 0;
    for (let i = 0; i < BUCKETS && MIN_MICROS * GROWTH ** i <= micros * (1 + 1e-9); i++) total += this.counts[i]!;
    return total;
  }

  /** The upper bound of the bucket holding quantile `q` (0..1), in microseconds; undefined before any call. */
  quantile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return MIN_MICROS * GROWTH ** i;
    }
    return MIN_MICROS * GROWTH ** (BUCKETS - 1);
  }
}
