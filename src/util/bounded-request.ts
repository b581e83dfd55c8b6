/**
 * One HTTP exchange on node:http(s) with the remote limits: a connect timeout, an idle timeout (no byte for that
 * long, before or during the answer) and a cap on the answer's size. The Azure SDK and the Kubernetes client send
 * through this, so a Resource Manager endpoint or an API server costs no more than a registry may.
 */
import { request as httpRequest, type Agent, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { formatDuration, MAX_DOCUMENT_BYTES, type RemoteLimits } from './remote-limits.js';
import { formatBytes } from '../files/read-user-file.js';

export interface BoundedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer | undefined;
  signal?: AbortSignal | undefined;
  /** The client's own agent (TLS settings from a kubeconfig, a proxy): kept, only bounded. */
  agent?: Agent | undefined;
}

export interface BoundedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Which limit a peer passed: `connect` and `idle` carry ETIMEDOUT, the code SDK retry policies repeat. */
export class RemoteLimitExceeded extends Error {
  readonly code: string;
  constructor(
    readonly limit: 'connect' | 'idle' | 'size',
    readonly host: string,
    message: string,
  ) {
    super(message);
    this.code = limit === 'size' ? 'ANSWER_TOO_LARGE' : 'ETIMEDOUT';
  }
}

/** Sends one request and reads its whole answer, at most `maxBytes` of it (4 MiB: a JSON document). */
export function boundedRequest(request: BoundedRequest, limits: RemoteLimits, maxBytes = MAX_DOCUMENT_BYTES): Promise<BoundedResponse> {
  const url = new URL(request.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<BoundedResponse>((resolve, reject) => {
    const req: ClientRequest = send(url, {
      method: request.method,
      headers: request.headers,
      ...(request.agent === undefined ? {} : { agent: request.agent }),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    const fail = (limit: RemoteLimitExceeded['limit'], message: string): void => void req.destroy(new RemoteLimitExceeded(limit, url.host, message));
    req.once('socket', (socket) => {
      if (!socket.connecting || limits.connectTimeoutMs <= 0) return;
      const timer = setTimeout(
        () => fail('connect', `no connection to ${url.host} within ${formatDuration(limits.connectTimeoutMs)}`),
        limits.connectTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(timer));
      req.once('close', () => clearTimeout(timer));
    });
    // Counts from the connection: the TLS handshake, the wait for the answer and every gap in its body.
    if (limits.idleTimeoutMs > 0) {
      req.setTimeout(limits.idleTimeoutMs, () => fail('idle', `${url.host} sent nothing for ${formatDuration(limits.idleTimeoutMs)}`));
    }
    req.once('error', reject);
    req.once('response', (res) => {
      res.once('error', reject);
      const tooLarge = (how: string): void => fail('size', `${url.host} ${how}, over the limit of ${formatBytes(maxBytes)} for one answer`);
      if (Number(res.headers['content-length'] ?? Number.NaN) > maxBytes) return tooLarge(`declared ${formatBytes(Number(res.headers['content-length']))}`);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return tooLarge(`sent more than ${formatBytes(maxBytes)}`);
        chunks.push(chunk);
      });
      res.once('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks, size) });
      });
    });
    req.end(request.body);
  });
}
