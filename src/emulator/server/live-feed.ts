/**
 * The dashboard's live updates as Server-Sent Events: every FEED_EVERY_MS the per-operation counts, rates and call
 * times (`stats`), and the module log lines written since (`log`). A page that connects first gets the recent log
 * (LOG_KEPT lines), so it does not start blank. Events are sent only while a page listens.
 */
import type { ServerResponse } from 'node:http';
import type { OperationStats, OperationStatsSnapshot } from '../../engine/operation-stats.js';
import type { LogEntry, LogLevel } from '../../engine/run-log.js';
import { Ring } from '../../util/ring.js';

export const FEED_EVERY_MS = 500;
export const LOG_KEPT = 500;

export interface OperationFigures extends Pick<OperationStatsSnapshot, 'operation' | 'type' | 'in' | 'out' | 'dropped' | 'errors'> {
  /** Items per second in and out over the last interval. */
  inRate: number;
  outRate: number;
  p50Micros: number | null;
  p99Micros: number | null;
}

export interface LogLine {
  level: LogLevel;
  operation: string;
  context: string;
  message: string;
  time: string;
}

export type RunState = 'loading' | 'running' | 'stopping';

export class LiveFeed {
  private readonly clients = new Set<ServerResponse>();
  private readonly recentLog = new Ring<LogLine>(LOG_KEPT);
  private unsent: LogLine[] = [];
  private stats: readonly OperationStats[] = [];
  private state: RunState = 'loading';
  private last = new Map<string, { in: number; out: number; at: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.tick(), FEED_EVERY_MS);
    this.timer.unref();
  }

  attach(stats: readonly OperationStats[]): void {
    this.stats = stats;
    this.setState('running');
  }

  setState(state: RunState): void {
    this.state = state;
    this.broadcast('state', { state });
  }

  /** Starts an event stream on `response`; it ends when the page goes or the feed closes. */
  add(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    this.clients.add(response);
    response.on('close', () => this.clients.delete(response));
    this.send(response, 'state', { state: this.state });
    this.send(response, 'log', this.recentLog.list());
    if (this.stats.length > 0) this.send(response, 'stats', this.figures(false));
  }

  close(): void {
    clearInterval(this.timer);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  /** A log entry of the run, for the pages. */
  log(entry: LogEntry): void {
    const line: LogLine = { level: entry.level, operation: entry.operation, context: entry.context, message: entry.message, time: entry.time.toISOString() };
    this.recentLog.push(line);
    if (this.clients.size > 0) this.unsent.push(line);
  }

  private tick(): void {
    if (this.clients.size === 0) return;
    if (this.unsent.length > 0) this.broadcast('log', this.unsent.splice(0));
    if (this.stats.length > 0) this.broadcast('stats', this.figures(true));
    else for (const client of this.clients) client.write(': waiting for the graph\n\n'); // keeps proxies from closing it
  }

  /** The counts now; `advance` moves the rate window on (a new page's first figures leave it for the tick). */
  private figures(advance: boolean): OperationFigures[] {
    const now = performance.now();
    return this.stats.map((s) => {
      const before = this.last.get(s.operation);
      const seconds = before ? (now - before.at) / 1000 : 0;
      const rate = (count: number, was: number | undefined) => (seconds > 0 && was !== undefined ? Math.round(((count - was) / seconds) * 10) / 10 : 0);
      if (advance || !before) this.last.set(s.operation, { in: s.in, out: s.out, at: now });
      return {
        operation: s.operation,
        type: s.type,
        in: s.in,
        out: s.out,
        dropped: s.dropped,
        errors: s.errors,
        inRate: rate(s.in, before?.in),
        outRate: rate(s.out, before?.out),
        p50Micros: roundMicros(s.latency.quantile(0.5)),
        p99Micros: roundMicros(s.latency.quantile(0.99)),
      };
    });
  }

  private broadcast(event: string, data: unknown): void {
    for (const client of this.clients) this.send(client, event, data);
  }

  private send(client: ServerResponse, event: string, data: unknown): void {
    client.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}

function roundMicros(micros: number | undefined): number | null {
  return micros === undefined ? null : Math.round(micros * 10) / 10;
}
