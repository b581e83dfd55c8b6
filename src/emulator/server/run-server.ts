/**
 * The HTTP side of a live run: `/metrics` for Prometheus (`--metrics`), and with a dashboard (`--ui`) the page
 * itself (ui/ in the package), the graph's layout, the live feed (Server-Sent Events) and the inspector's answers.
 * The run attaches its numbers once its graph is ready; until then /metrics is empty and the page says "loading".
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AioError, errorMessage } from '../../errors.js';
import type { OperationStats } from '../../engine/operation-stats.js';
import type { Graph } from '../../graph/model.js';
import { PACKAGE_ROOT } from '../../package-files.js';
import type { MetricSeries } from '../../wasm/host/metrics.js';
import type { InspectionAnswer, InspectionQuery } from '../inspection/run-observation.js';
import { layoutGraph, type GraphLayout } from './graph-layout.js';
import { isLocalHostHeader, isLoopback, type ListenAddress } from './listen-address.js';
import { LiveFeed } from './live-feed.js';
import { prometheusText } from './metrics-text.js';

export interface RunSource {
  stats: readonly OperationStats[];
  moduleMetrics(): readonly MetricSeries[];
  /** The dashboard's questions; a run without a dashboard has none. */
  inspect?: ((query: InspectionQuery) => Promise<InspectionAnswer>) | undefined;
}

export interface RunServer {
  /** The server's root, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** The page's live feed, with a dashboard: the run's log entries go to `feed.log`. */
  feed: LiveFeed | undefined;
  attach(source: RunSource): void;
  close(): Promise<void>;
}

/** The page's files, served as they are: no build step, nothing fetched from elsewhere. */
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

export async function startRunServer(address: ListenAddress, dashboard?: { graph: Graph }): Promise<RunServer> {
  let source: RunSource | undefined;
  const feed = dashboard && new LiveFeed();
  const layout = dashboard && layoutGraph(dashboard.graph);
  const pages = dashboard ? await readPages() : new Map<string, Buffer>();
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { error: errorMessage(error) });
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET') return void response.writeHead(405, { allow: 'GET' }).end();
    // A page elsewhere must not read this one through a name that resolves here (DNS rebinding). Checked before
    // anything of the request is read, so no malformed path can answer differently to a foreign page.
    if (isLoopback(address.host) && !isLocalHostHeader(request.headers.host, address.host)) {
      return void response.writeHead(403, { 'content-type': 'text/plain' }).end('only local pages may ask\n');
    }
    const path = decodePath(request.url ?? '/');
    if (path === undefined) return void response.writeHead(400, { 'content-type': 'text/plain' }).end('malformed percent-encoding in the path\n');
    if (path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      return void response.end(source ? prometheusText(source.stats, source.moduleMetrics()) : '');
    }
    if (!feed || !layout) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('only /metrics is served here\n');
    const page = PAGE_FILES[path];
    if (page) return void response.writeHead(200, { 'content-type': page.type, 'cache-control': 'no-store' }).end(pages.get(page.file));
    if (path === '/api/graph') return json(response, 200, layout satisfies GraphLayout);
    if (path === '/api/events') return feed.add(response);
    const operation = /^\/api\/operations\/(.+)$/.exec(path)?.[1];
    if (operation !== undefined || path === '/api/state-store') {
      if (!source?.inspect) return json(response, 503, { error: 'the graph is still loading' });
      const answer = await source.inspect(operation === undefined ? { what: 'state-store' } : { what: 'operation', name: operation });
      return json(response, answer.what === 'operation' && !answer.found ? 404 : 200, answer);
    }
    json(response, 404, { error: `nothing at ${path}` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new AioError('AIO_EMULATE_PORT_IN_USE', `cannot serve on ${address.host}:${address.port}: ${error.code ?? error.message}`, {
          hint: 'Pick another port (port 0 picks a free one, e.g. 127.0.0.1:0).',
        }),
      ),
    );
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address() as { address: string; port: number };
  const shownHost = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${shownHost}:${bound.port}/`,
    feed,
    attach: (attached) => {
      source = attached;
      feed?.attach(attached.stats);
    },
    close: () => {
      feed?.close();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request's path, percent-decoded; undefined when the encoding is malformed (`%E0%A4%A`). */
function decodePath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split('?')[0]!);
  } catch {
    return undefined;
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function readPages(): Promise<Map<string, Buffer>> {
  const files = Object.values(PAGE_FILES).map((p) => p.file);
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(join(PACKAGE_ROOT, 'ui', file))] as const)));
}
