/**
 * `--metrics host:port`: serves the run's numbers at `/metrics` for Prometheus to scrape (metrics-text.ts). The
 * run attaches its counts once its graph is ready; before that the page holds no series.
 */
import { createServer, type Server } from 'node:http';
import { AioError } from '../errors.js';
import type { OperationStats } from '../engine/operation-stats.js';
import type { MetricSeries } from '../wasm/host/metrics.js';
import { prometheusText } from './metrics-text.js';

export interface MetricsSource {
  stats: readonly OperationStats[];
  moduleMetrics(): readonly MetricSeries[];
}

export interface MetricsServer {
  url: string;
  attach(source: MetricsSource): void;
  close(): Promise<void>;
}

/** `host:port`, `:port` or `port`; the host defaults to 127.0.0.1 and port 0 picks a free one. */
export function parseListenAddress(text: string, flag: string): { host: string; port: number } {
  const match = /^(?:(.*):)?(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) {
    throw new AioError('AIO_EMULATE_BAD_LISTEN_ADDRESS', `${flag} "${text}" is not host:port`, {
      hint: `Write it as 127.0.0.1:9464, :9464 or 9464 (0 picks a free port).`,
    });
  }
  return { host: match[1] || '127.0.0.1', port };
}

export async function startMetricsServer(host: string, port: number): Promise<MetricsServer> {
  let source: MetricsSource | undefined;
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('only /metrics is served here\n');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    response.end(source ? prometheusText(source.stats, source.moduleMetrics()) : '');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new AioError('AIO_EMULATE_PORT_IN_USE', `cannot serve metrics on ${host}:${port}: ${error.code ?? error.message}`, {
          hint: 'Pick another port (--metrics 127.0.0.1:0 picks a free one).',
        }),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as { address: string; port: number };
  const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    attach: (attached) => void (source = attached),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
