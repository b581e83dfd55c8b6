/**
 * HTTP to registries and token services, bounded: a connect timeout, an idle timeout between bytes, an overall
 * limit for small exchanges, retries with backoff for idempotent requests, and redirects followed by hand so that
 * no credential reaches a host other than the one it was meant for.
 */
import { Agent, type Dispatcher } from 'undici';
import { AioError, errorMessage } from '../errors.js';
import { formatBytes } from '../files/read-user-file.js';
import { DEFAULT_REMOTE_LIMITS, formatDuration, MAX_ERROR_BODY_BYTES, type RemoteLimits } from '../util/remote-limits.js';
import { watchUpload } from './upload-watch.js';

/** How a registry is reached: TLS or plain HTTP (local registries), certificate checks, retries and limits. */
export interface TransportOptions {
  plainHttp?: boolean;
  /** Skip TLS certificate verification (self-signed local registries only). */
  insecure?: boolean;
  /** Attempts for 429, 5xx and (idempotent requests only) dropped or stalled connections, including the first (default: the limits' retries + 1). */
  attempts?: number;
  /** First backoff delay in ms; doubles each retry (tests lower it). */
  backoffMs?: number;
  /** Time and size bounds; the defaults where unset. */
  limits?: RemoteLimits;
}

/** One request as sent: the body is a Buffer, so a retry resends exactly the same bytes. */
export interface Exchange {
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** What one remote call is, for retries and for messages. */
export interface RemoteCall {
  /** What is being fetched or sent: `manifest 127.0.0.1:5000/thermostat:1.0.0`. */
  what: string;
  /** The host the call is addressed to (the registry); a redirect target is named beside it. */
  host: string;
  /** Safe to repeat after a dropped or stalled connection: GET, HEAD, PUT, a token request. */
  idempotent: boolean;
  /** A small exchange (manifest, token, API call) bounded as a whole by the request timeout; blobs are not. */
  bounded: boolean;
}

/** One attempt of a call: whether it is the last (then a 429/5xx is returned, not retried), and its abort signal. */
export interface Attempt {
  final: boolean;
  signal: AbortSignal | undefined;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;
/** Request headers past this size are refused by many servers (nginx 8 KiB, most 16 KiB): worth a hint. */
const LARGE_HEADERS = 8 * 1024;
/** Errors that mean no connection was made; anything else after connecting is a lost connection. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

export function limitsOf(transport: TransportOptions): RemoteLimits {
  return transport.limits ?? DEFAULT_REMOTE_LIMITS;
}

const agents = new Map<string, Dispatcher>();

/** One connection pool per (TLS checks, timeouts), shared by every client in the process. */
function dispatcherFor(transport: TransportOptions): Dispatcher {
  const limits = limitsOf(transport);
  const key = `${transport.insecure === true}:${limits.connectTimeoutMs}:${limits.idleTimeoutMs}`;
  let agent = agents.get(key);
  if (agent === undefined) {
    agent = new Agent({
      connect: { timeout: limits.connectTimeoutMs, ...(transport.insecure ? { rejectUnauthorized: false } : {}) },
      headersTimeout: limits.idleTimeoutMs,
      bodyTimeout: limits.idleTimeoutMs,
    });
    agents.set(key, agent);
  }
  return agent;
}

/** A request that failed on the wire: where (after redirects), how much of the answer had arrived, and why. */
export class TransportFailure extends Error {
  constructor(
    readonly url: URL,
    override readonly cause: unknown,
    readonly headerBytes: number,
    readonly received: number | undefined,
    /** The request body's progress, when it had one: how far the upload got. */
    readonly upload?: { readonly sent: number; readonly total: number },
  ) {
    super(errorMessage(cause));
  }
}

/** A 429 or 5xx on an attempt that is not the last: retried after the server's Retry-After or the backoff. */
class RetryableStatus extends Error {
  constructor(readonly retryAfterMs: number | undefined) {
    super('retryable status');
  }
}

const answeredFrom = new WeakMap<Response, URL>();

/** The URL that gave this answer: after a redirect, a blob store or CDN rather than the registry. */
export function answeredBy(response: Response, fallback: string): URL {
  return answeredFrom.get(response) ?? new URL(fallback);
}

/**
 * One HTTP exchange. Redirects are followed here, not by fetch: a hop to another origin (host, port or scheme)
 * drops the Authorization header, so registry credentials never reach blob storage or a CDN. A 429/5xx is thrown
 * as retryable unless this is the final attempt.
 */
export async function send(url: string, exchange: Exchange, transport: TransportOptions, attempt: Attempt): Promise<Response> {
  const origin = new URL(url).origin;
  let current = new URL(url);
  let { method, body } = exchange;
  const headers = { ...exchange.headers };
  for (let hop = 0; ; hop++) {
    let response: Response;
    // A fresh watch (and stream) per hop: a 307/308 sends the same bytes again.
    const upload = body === undefined ? undefined : watchUpload(body, limitsOf(transport), attempt.signal);
    const signal = upload?.signal ?? attempt.signal;
    try {
      response = await fetch(current, {
        method,
        headers,
        redirect: 'manual',
        ...(upload === undefined ? {} : { body: upload.body, duplex: 'half' }),
        ...(signal === undefined ? {} : { signal }),
        dispatcher: dispatcherFor(transport),
      } as RequestInit);
    } catch (error) {
      throw new TransportFailure(current, error, headerSize(headers), undefined, upload);
    }
    const location = response.headers.get('location');
    if (!REDIRECT_STATUS.has(response.status) || location === null) {
      answeredFrom.set(response, current);
      if (!attempt.final && RETRY_STATUS.has(response.status)) {
        await discard(response);
        throw new RetryableStatus(retryAfterMs(response.headers.get('retry-after')));
      }
      return response;
    }
    await discard(response);
    if (hop === MAX_REDIRECTS) {
      throw new AioError('AIO_REGISTRY_PROTOCOL', `${current.host} redirected more than ${MAX_REDIRECTS} times (${method} ${new URL(url).pathname})`);
    }
    const next = URL.canParse(location, current.href) ? new URL(location, current) : undefined;
    if (next === undefined || (next.protocol !== 'https:' && next.protocol !== 'http:')) {
      throw new AioError(
        'AIO_REGISTRY_PROTOCOL',
        `${current.host} redirected ${method} ${current.pathname} to ${JSON.stringify(location.slice(0, 200))}, which is not an HTTP URL`,
      );
    }
    if (next.origin !== origin) delete headers['authorization'];
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      delete headers['content-length'];
      delete headers['content-type'];
    }
    current = next;
  }
}

/**
 * Runs a call's attempts: each sends and reads its answer; 429/5xx are retried for every method, dropped and
 * stalled connections only for idempotent calls, with doubling backoff. What still fails becomes an AioError that
 * names the host, what it waited for and how long.
 */
export async function retrying<T>(call: RemoteCall, transport: TransportOptions, run: (attempt: Attempt) => Promise<T>): Promise<T> {
  const limits = limitsOf(transport);
  const attempts = Math.max(1, transport.attempts ?? limits.retries + 1);
  const backoff = transport.backoffMs ?? 250;
  for (let n = 1; ; n++) {
    const signal = call.bounded && limits.requestTimeoutMs > 0 ? AbortSignal.timeout(limits.requestTimeoutMs) : undefined;
    try {
      return await run({ final: n === attempts, signal });
    } catch (error) {
      if (error instanceof RetryableStatus) {
        await sleep(error.retryAfterMs ?? backoff * 2 ** (n - 1));
        continue;
      }
      if (!(error instanceof TransportFailure)) throw error;
      if (!call.idempotent || n === attempts) throw remoteFailure(call, error, n, limits, transport);
      await sleep(backoff * 2 ** (n - 1));
    }
  }
}

/**
 * Reads a whole body of at most `limit` bytes. A declared Content-Length over the limit is refused before a byte
 * is read; an undeclared one is counted as it arrives and refused at the limit.
 */
export async function readBounded(response: Response, limit: number, what: string, url: string): Promise<Buffer> {
  const from = answeredBy(response, url);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    await cancel(response);
    throw tooLarge(what, from, `declares ${formatBytes(declared)}`, limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  await streamBody(response, url, (chunk) => {
    size += chunk.length;
    if (size > limit) throw tooLarge(what, from, `sent more than ${formatBytes(limit)}`, limit);
    chunks.push(Buffer.from(chunk));
  });
  return Buffer.concat(chunks, size);
}

/** Reads a body as JSON (bounded); a body that is not JSON is the protocol error `notJson` returns. */
export async function readJson<T>(response: Response, limit: number, what: string, url: string, notJson: () => AioError): Promise<T> {
  const bytes = await readBounded(response, limit, what, url);
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw notJson();
  }
}

/**
 * Hands each chunk of a body to `sink` as it arrives (which may write it to disk: nothing is held), and returns
 * the byte count. A stall or reset part-way is a TransportFailure saying how much had arrived.
 */
export async function streamBody(response: Response, url: string, sink: (chunk: Uint8Array) => void | Promise<void>): Promise<number> {
  if (response.body === null) return 0;
  const reader = response.body.getReader();
  let received = 0;
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        throw new TransportFailure(answeredBy(response, url), error, 0, received);
      }
      if (next.done) return received;
      received += next.value.length;
      await sink(next.value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
}

/** The start of an error body, for its message; the rest is cancelled unread. Never throws. */
export async function readErrorText(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ERROR_BODY_BYTES) {
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value);
      size += next.value.length;
    }
  } catch {
    // a failing error body still leaves the status to report
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES).toString('utf8');
}

/** Drops a body we do not need; reading it to the end keeps the connection reusable when it is small. */
export async function discard(response: Response): Promise<void> {
  await readErrorText(response);
}

async function cancel(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function tooLarge(what: string, from: URL, how: string, limit: number): AioError {
  return new AioError('AIO_REGISTRY_TOO_LARGE', `${what}: ${from.host} ${how}, over the limit of ${formatBytes(limit)}; nothing was kept`, {
    hint: 'a manifest or token this large is not a real one: check the reference and the registry',
  });
}

/** The AioError for a call that failed on the wire: unreachable, stalled, over its time, or cut off. */
function remoteFailure(call: RemoteCall, failure: TransportFailure, attempts: number, limits: RemoteLimits, transport: TransportOptions): AioError {
  const code = causeCode(failure.cause);
  const host = failure.url.host === call.host ? failure.url.host : `${failure.url.host} (redirected to from ${call.host})`;
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new AioError('AIO_REGISTRY_UNREACHABLE', `cannot reach ${host}: no connection within ${formatDuration(limits.connectTimeoutMs)}${tries}`, {
      hint: 'check the host, port and network; --connect-timeout raises the limit',
    });
  }
  const upload = failure.upload;
  // undici's own header timer may see the stall first: while the body is still going out, either is a stalled upload.
  if (upload !== undefined && upload.sent < upload.total && (code === 'UPLOAD_STALLED' || code === 'UND_ERR_HEADERS_TIMEOUT')) {
    return new AioError(
      'AIO_REGISTRY_TIMEOUT',
      `${host} stalled: took no bytes of ${call.what} for ${formatDuration(limits.idleTimeoutMs)} after ${formatBytes(upload.sent)} of ${formatBytes(upload.total)}${tries}`,
      { hint: 'the server stopped reading the upload; retry later, or raise --idle-timeout' },
    );
  }
  if (code === 'UPLOAD_UNANSWERED') {
    return new AioError(
      'AIO_REGISTRY_TIMEOUT',
      `${host} did not answer ${call.what} within ${formatDuration(limits.requestTimeoutMs)} of aio sending all ${formatBytes(upload?.total ?? 0)}${tries}`,
      { hint: 'the server answers the upload too slowly, or not at all; retry later, or raise --request-timeout (on a very slow link too)' },
    );
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new AioError('AIO_REGISTRY_TIMEOUT', `${host} stalled: no response to ${call.what} within ${formatDuration(limits.idleTimeoutMs)}${tries}`, {
      hint: 'the server accepted the connection but did not answer; retry later, or raise --idle-timeout',
    });
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new AioError(
      'AIO_REGISTRY_TIMEOUT',
      `${host} stalled: no bytes of ${call.what} for ${formatDuration(limits.idleTimeoutMs)} after ${formatBytes(failure.received ?? 0)}${tries}`,
      { hint: 'the transfer stopped part-way and nothing was kept; retry later, or raise --idle-timeout' },
    );
  }
  if (code === 'TimeoutError') {
    return new AioError('AIO_REGISTRY_TIMEOUT', `${host} did not deliver ${call.what} within ${formatDuration(limits.requestTimeoutMs)}${tries}`, {
      hint: 'the server answers too slowly; retry later, or raise --request-timeout',
    });
  }
  if (code === undefined || CONNECT_CODES.has(code) || code.startsWith('ERR_TLS') || /CERT|SELF_SIGNED/.test(code)) {
    return new AioError('AIO_REGISTRY_UNREACHABLE', `cannot reach ${host}: ${describeNetworkError(failure.cause)}${tries}`, {
      hint: transport.plainHttp
        ? 'check the host and port, and that the registry is running'
        : 'check the host and port; for a local registry without TLS, add --plain-http',
    });
  }
  const large = failure.headerBytes > LARGE_HEADERS;
  return new AioError('AIO_REGISTRY_CONNECTION_LOST', `${host} closed the connection during ${call.what}: ${describeNetworkError(failure.cause)}${tries}`, {
    hint: large
      ? `the request carried ${formatBytes(failure.headerBytes)} of headers, mostly the token its token service issued; servers commonly refuse headers over 8–16 KiB, so check the token service`
      : 'the connection was made and then cut; retry, and check any proxy between you and the registry',
  });
}

/** The most specific error code in a fetch error's cause chain (`UND_ERR_BODY_TIMEOUT`, `ECONNRESET`, `TimeoutError`). */
function causeCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; name?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && e.code !== '') return e.code;
    if (e.name === 'TimeoutError') return 'TimeoutError';
  }
  return undefined;
}

function headerSize(headers: Record<string, string>): number {
  return Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);
}

function retryAfterMs(retryAfter: string | null): number | undefined {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, 10_000) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What went wrong with a connection, without internals: `ECONNREFUSED 127.0.0.1:5000`. */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code !== undefined) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  // fetch's own refusals (a port browsers block, a malformed URL) carry only a message.
  return cause?.message ?? errorMessage(error);
}
