/** The per-operation table printed when a run ends: in, out, dropped, errors, p50/p99 module latency. */
import type { OperationStats } from '../engine/operation-stats.js';

const HEADERS = ['operation', 'type', 'in', 'out', 'dropped', 'errors', 'p50', 'p99'] as const;

function formatMicros(micros: number | undefined): string {
  if (micros === undefined) return '-';
  if (micros < 1000) return `${micros.toFixed(micros < 10 ? 1 : 0)} µs`;
  if (micros < 1_000_000) return `${(micros / 1000).toFixed(1)} ms`;
  return `${(micros / 1_000_000).toFixed(2)} s`;
}

export function summaryTable(stats: readonly OperationStats[]): string {
  const rows = stats.map((s) => [
    s.operation,
    s.type,
    String(s.in),
    String(s.out),
    String(s.dropped),
    String(s.errors),
    formatMicros(s.latency.quantile(0.5)),
    formatMicros(s.latency.quantile(0.99)),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), ...rows.map(line)].join('\n');
}
