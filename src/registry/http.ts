import { Agent, type Dispatcher } from 'undici';
import { errorMessage } from '../errors.js';

/** How a registry is reached: TLS or plain HTTP (local registries), certificate checks on or off. */
export interface TransportOptions {
  plainHttp?: boolean;
  /** Skip TLS certificate verification (self-signed local registries only). */
  insecure?: boolean;
  /** Attempts for 429, 5xx and connection resets, including the first. */
  attempts?: number;
  /** First backoff delay in ms; doubles each retry (tests lower it). */
  backoffMs?: number;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
let insecureAgent: Dispatcher | undefined;

/**
 * `fetch` with retries and backoff on 429/5xx and dropped connections; honours Retry-After. Bodies are Buffers,
 * so a retry resends exactly the same bytes.
 */
export async function fetchWithRetry(url: string, init: RequestInit, options: TransportOptions): Promise<Response> {
  const attempts = options.attempts ?? 4;
  const dispatcher = options.insecure ? (insecureAgent ??= new Agent({ connect: { rejectUnauthorized: false } })) : undefined;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, { ...init, redirect: 'follow', ...(dispatcher === undefined ? {} : { dispatcher }) } as RequestInit);
      if (!RETRY_STATUS.has(response.status) || attempt === attempts) return response;
      await response.arrayBuffer().catch(() => undefined);
      await sleep(retryDelay(response.headers.get('retry-after'), attempt, options.backoffMs ?? 250));
    } catch (error) {
      lastError = error;
      if (attempt === attempts) break;
      await sleep((options.backoffMs ?? 250) * 2 ** (attempt - 1));
    }
  }
  throw lastError;
}

function retryDelay(retryAfter: string | null, attempt: number, base: number): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds)) return Math.min(seconds * 1000, 10_000);
  return base * 2 ** (attempt - 1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What went wrong with a connection, without internals: `ECONNREFUSED 127.0.0.1:5000`. */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code !== undefined) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return errorMessage(error);
}
