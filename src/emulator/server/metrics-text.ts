/**
 * A run's numbers in the Prometheus text exposition format (0.0.4): per operation, counters of items in, out,
 * dropped and failed, and a histogram of module call time; then every metric the modules recorded through the WIT
 * `metrics` interface, with their own labels and the operation as a label, as the cluster's OpenTelemetry export
 * carries them. Module counters are counters; module histograms are summaries of count and sum (the host keeps
 * no buckets for them).
 */
import type { OperationStats } from '../../engine/operation-stats.js';
import type { Label, MetricSeries } from '../../wasm/host/metrics.js';

/** Upper bounds of the call-time buckets, in seconds: 1 µs to 10 s. */
const CALL_BUCKETS = [1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const COUNTERS = [
  ['in', 'aio_operation_messages_in_total', 'Items that arrived at the operation.'],
  ['out', 'aio_operation_messages_out_total', 'Items the operation passed on.'],
  ['dropped', 'aio_operation_messages_dropped_total', 'Items the operation removed on purpose: filtered out, late, refused by the payload schema.'],
  ['errors', 'aio_operation_errors_total', 'Items lost to a module error, trap or missed deadline.'],
] as const;

export function prometheusText(operations: readonly OperationStats[], moduleMetrics: readonly MetricSeries[]): string {
  const lines: string[] = [];
  for (const [field, name, help] of COUNTERS) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
    for (const op of operations)
      lines.push(
        `${name}${labels([
          { key: 'operation', value: op.operation },
          { key: 'type', value: op.type },
        ])} ${op[field]}`,
      );
  }
  const duration = 'aio_operation_call_duration_seconds';
  lines.push(`# HELP ${duration} Time spent in the module per call.`, `# TYPE ${duration} histogram`);
  for (const op of operations) {
    if (op.latency.count === 0) continue;
    const own = { key: 'operation', value: op.operation };
    for (const le of CALL_BUCKETS) lines.push(`${duration}_bucket${labels([own, { key: 'le', value: String(le) }])} ${op.latency.countAtMost(le * 1e6)}`);
    lines.push(`${duration}_bucket${labels([own, { key: 'le', value: '+Inf' }])} ${op.latency.count}`);
    lines.push(`${duration}_sum${labels([own])} ${op.latency.sumMicros / 1e6}`, `${duration}_count${labels([own])} ${op.latency.count}`);
  }
  lines.push(...moduleMetricLines(moduleMetrics));
  return `${lines.join('\n')}\n`;
}

function moduleMetricLines(series: readonly MetricSeries[]): string[] {
  const byName = new Map<string, MetricSeries[]>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const [name, all] of byName) {
    const kind = all[0]!.kind;
    const metric = kind === 'counter' ? `${metricName(name)}_total` : metricName(name);
    lines.push(`# HELP ${metric} Recorded by the module through wasm-graph:processor/metrics (${name}).`);
    lines.push(`# TYPE ${metric} ${kind === 'counter' ? 'counter' : 'summary'}`);
    for (const s of all) {
      const own = labels([{ key: 'operation', value: s.operation }, ...s.labels.map((l) => ({ key: metricName(l.key), value: l.value }))]);
      if (s.kind === 'counter') lines.push(`${metric}${own} ${s.value}`);
      else lines.push(`${metric}_sum${own} ${s.sum}`, `${metric}_count${own} ${s.count}`);
    }
  }
  return lines;
}

/** Prometheus names allow [a-zA-Z_:][a-zA-Z0-9_:]*; modules may name metrics more freely. */
function metricName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[a-zA-Z_:]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function labels(pairs: Label[]): string {
  if (pairs.length === 0) return '';
  return `{${pairs.map((p) => `${p.key}="${p.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}
