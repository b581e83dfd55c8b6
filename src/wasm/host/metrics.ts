/**
 * Counters and histograms that modules record through the `metrics` import, per operation and label set, like
 * the cluster's OpenTelemetry export. The emulator's summary reads them.
 */

export interface Label {
  key: string;
  value: string;
}

export interface CounterSeries {
  kind: 'counter';
  operation: string;
  name: string;
  labels: Label[];
  value: bigint;
}

export interface HistogramSeries {
  kind: 'histogram';
  operation: string;
  name: string;
  labels: Label[];
  count: number;
  sum: number;
  min: number;
  max: number;
}

export type MetricSeries = CounterSeries | HistogramSeries;

/** The WIT `metrics-error` variant, thrown so jco returns it as the error result. */
export type MetricsError = { tag: 'incompatible-type'; val: string } | { tag: 'lock-error'; val: string };

export class MetricsRegistry {
  private readonly series = new Map<string, MetricSeries>();
  /** Which kind each metric name was first used as; a name cannot be both. */
  private readonly kinds = new Map<string, MetricSeries['kind']>();

  addToCounter(operation: string, name: string, value: bigint, labels: Label[] = []): void {
    const series = this.seriesFor('counter', operation, name, labels) as CounterSeries;
    series.value += value;
  }

  recordToHistogram(operation: string, name: string, value: number, labels: Label[] = []): void {
    const series = this.seriesFor('histogram', operation, name, labels) as HistogramSeries;
    series.count++;
    series.sum += value;
    series.min = Math.min(series.min, value);
    series.max = Math.max(series.max, value);
  }

  /** Every series as plain data (a copy), for /metrics and for crossing threads. */
  all(): MetricSeries[] {
    return [...this.series.values()].map((series) => ({ ...series, labels: [...series.labels] }));
  }

  counter(operation: string, name: string, labels: Label[] = []): bigint {
    const found = this.series.get(seriesKey(operation, name, labels));
    return found?.kind === 'counter' ? found.value : 0n;
  }

  private seriesFor(kind: MetricSeries['kind'], operation: string, name: string, labels: Label[]): MetricSeries {
    const known = this.kinds.get(name);
    if (known && known !== kind) {
      throw { tag: 'incompatible-type', val: `metric ${name} is a ${known}, not a ${kind}` } satisfies MetricsError;
    }
    this.kinds.set(name, kind);
    const key = seriesKey(operation, name, labels);
    let series = this.series.get(key);
    if (!series) {
      const sorted = [...labels].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      series =
        kind === 'counter'
          ? { kind, operation, name, labels: sorted, value: 0n }
          : { kind, operation, name, labels: sorted, count: 0, sum: 0, min: Infinity, max: -Infinity };
      this.series.set(key, series);
    }
    return series;
  }
}

function seriesKey(operation: string, name: string, labels: Label[]): string {
  const sorted = labels.map((l) => `${l.key}=${l.value}`).sort();
  return JSON.stringify([operation, name, sorted]);
}
