import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type ProxyMode =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'token'; username: string; password: string; token: string }
  | { kind: 'open' };

export interface ProxyOptions {
  mode: ProxyMode;
  /** Answer this many requests with 503 before passing anything through (retry tests). */
  failFirst?: number;
  /** Rewrite absolute Location headers to relative ones (both forms are legal). */
  relativeLocation?: boolean;
}

export interface AuthProxy {
  host: string;
  /** Every Authorization header seen, to check what the client sent. */
  authorizations: string[];
  stop(): Promise<void>;
}

/**
 * An HTTP front for a real registry that enforces Basic auth or the Docker/OCI token protocol (401 with a Bearer
 * challenge, a /token realm taking Basic credentials), the way Docker Hub, GHCR and ACR behave.
 */
export async function startAuthProxy(upstream: string, options: ProxyOptions): Promise<AuthProxy> {
  let failures = options.failFirst ?? 0;
  const authorizations: string[] = [];
  const server: Server = createServer((req, res) => {
    if (req.headers.authorization !== undefined) authorizations.push(req.headers.authorization);
    if (failures > 0) {
      failures--;
      res.writeHead(503, { 'retry-after': '0' }).end('busy');
      return;
    }
    const mode = options.mode;
    const basic = mode.kind === 'open' ? '' : `Basic ${Buffer.from(`${mode.username}:${mode.password}`).toString('base64')}`;
    const host = req.headers.host ?? '';
    if (mode.kind === 'token' && req.url?.startsWith('/token')) {
      if (req.headers.authorization !== basic) return void res.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: mode.token, expires_in: 300 }));
      return;
    }
    if (mode.kind === 'basic' && req.headers.authorization !== basic) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="aio-test"' }).end();
      return;
    }
    if (mode.kind === 'token' && req.headers.authorization !== `Bearer ${mode.token}`) {
      const repo = /^\/v2\/(.+?)\/(blobs|manifests|tags|referrers)\//.exec(req.url ?? '')?.[1];
      const scope = repo === undefined ? '' : `,scope="repository:${repo}:pull,push"`;
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="aio-test"${scope}` }).end();
      return;
    }
    forward(upstream, req, res, options.relativeLocation === true);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('proxy has no address');
  return {
    host: `127.0.0.1:${address.port}`,
    authorizations,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function forward(upstream: string, req: IncomingMessage, res: ServerResponse, relativeLocation: boolean): void {
  const [hostname, port] = upstream.split(':');
  const headers = { ...req.headers };
  delete headers.authorization;
  const out = request({ hostname, port: Number(port), method: req.method, path: req.url, headers }, (answer) => {
    const responseHeaders = { ...answer.headers };
    if (relativeLocation && typeof responseHeaders.location === 'string') responseHeaders.location = responseHeaders.location.replace(/^https?:\/\/[^/]+/, '');
    res.writeHead(answer.statusCode ?? 502, responseHeaders);
    answer.pipe(res);
  });
  out.on('error', () => res.writeHead(502).end());
  req.pipe(out);
}
