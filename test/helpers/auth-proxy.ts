import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type ProxyMode =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'token'; username: string; password: string; token: string }
  | { kind: 'open' }
  /** Azure Container Registry's protocol: /oauth2/exchange takes an Entra token, /oauth2/token a refresh token. */
  | { kind: 'acr'; entraToken: string; refreshToken: string; token: string };

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
  /** Every form posted to /oauth2/exchange and /oauth2/token, by path. */
  forms: Array<{ path: string; form: Record<string, string> }>;
  stop(): Promise<void>;
}

/**
 * An HTTP front for a real registry that enforces Basic auth or the Docker/OCI token protocol (401 with a Bearer
 * challenge, a /token realm taking Basic credentials), the way Docker Hub, GHCR and ACR behave.
 */
export async function startAuthProxy(upstream: string, options: ProxyOptions): Promise<AuthProxy> {
  let failures = options.failFirst ?? 0;
  const authorizations: string[] = [];
  const forms: AuthProxy['forms'] = [];
  const server: Server = createServer((req, res) => {
    if (options.mode.kind === 'acr') return void acr(options.mode, req, res, forms, authorizations, () => forward(upstream, req, res, false));
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
      bearerChallenge(req, res, `http://${host}/token`, 'aio-test');
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
    forms,
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

/** ACR's token service in front of the registry, as its REST reference documents it. */
function acr(
  mode: Extract<ProxyMode, { kind: 'acr' }>,
  req: IncomingMessage,
  res: ServerResponse,
  forms: AuthProxy['forms'],
  authorizations: string[],
  pass: () => void,
): void {
  const host = req.headers.host ?? '';
  const path = (req.url ?? '').split('?')[0];
  if (req.headers.authorization !== undefined) authorizations.push(req.headers.authorization);
  if (req.method === 'POST' && (path === '/oauth2/exchange' || path === '/oauth2/token')) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      forms.push({ path, form });
      const json = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (form['service'] !== host) return json(400, { errors: [{ code: 'UNSUPPORTED', message: 'wrong service' }] });
      if (path === '/oauth2/exchange') {
        if (form['grant_type'] !== 'access_token' || form['access_token'] !== mode.entraToken) return json(401, { errors: [{ code: 'UNAUTHORIZED' }] });
        return json(200, { refresh_token: mode.refreshToken });
      }
      if (form['grant_type'] !== 'refresh_token' || form['refresh_token'] !== mode.refreshToken) return json(401, { errors: [{ code: 'UNAUTHORIZED' }] });
      return json(200, { access_token: mode.token });
    });
    return;
  }
  if (req.headers.authorization !== `Bearer ${mode.token}`) {
    bearerChallenge(req, res, `http://${host}/oauth2/token`, host);
    return;
  }
  pass();
}

/** A 401 with a Bearer challenge naming the realm, the service and (for repository paths) the scope. */
function bearerChallenge(req: IncomingMessage, res: ServerResponse, realm: string, service: string): void {
  const repo = /^\/v2\/(.+?)\/(blobs|manifests|tags|referrers)\//.exec(req.url ?? '')?.[1];
  const scope = repo === undefined ? '' : `,scope="repository:${repo}:pull,push"`;
  res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm}",service="${service}"${scope}` }).end();
}
