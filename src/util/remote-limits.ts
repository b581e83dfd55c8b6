/**
 * Bounds on every remote call (registries, token services, Azure Resource Manager, Kubernetes): how long a peer may
 * keep us waiting and how much it may make us hold. A peer that stalls or floods costs a clear error, never a hang.
 */
import { AioError } from '../errors.js';
import { parseDuration, parseSizeMiB } from './units.js';

export interface RemoteLimits {
  /** Longest a TCP (and TLS) connection may take to open. */
  connectTimeoutMs: number;
  /** Longest a peer may stay silent: before the response headers, between two chunks of a body, or taking none of an upload. */
  idleTimeoutMs: number;
  /** Longest a small exchange may take as a whole, body included (a manifest, a token, an API call); and a blob upload's answer. */
  requestTimeoutMs: number;
  /** Largest layer (blob) a pull accepts; checked against the manifest before the download starts. */
  maxBlobBytes: number;
  /** Retries of a request that failed on the wire (idempotent ones only) or with 429/5xx, with doubling backoff. */
  retries: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_REMOTE_LIMITS: RemoteLimits = {
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  requestTimeoutMs: 60_000,
  maxBlobBytes: 4 * 1024 * MiB,
  retries: 3,
};

/**
 * Largest manifest, token answer or other JSON document read into memory. 4 MiB is the manifest size the OCI
 * distribution spec says registries should accept; a token is a few KiB.
 */
export const MAX_DOCUMENT_BYTES = 4 * MiB;

/** How much of an error body is read for its message; the rest is discarded unread. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The remote limits as written in flags or aio.yaml (`10s`, `4GiB`); unset ones take the defaults. */
export interface RemoteSettings {
  connectTimeout?: string | number | undefined;
  idleTimeout?: string | number | undefined;
  requestTimeout?: string | number | undefined;
  maxBlobSize?: string | number | undefined;
  retries?: string | number | undefined;
}

/** Flags win over aio.yaml, aio.yaml over the defaults; a bad value is AIO_LIMIT_INVALID naming the setting. */
export function remoteLimits(flags: RemoteSettings = {}, settings: RemoteSettings = {}): RemoteLimits {
  const pick = <K extends keyof RemoteSettings>(key: K): RemoteSettings[K] => flags[key] ?? settings[key];
  const duration = (key: keyof RemoteSettings, what: string, fallback: number): number => {
    const value = pick(key);
    return value === undefined ? fallback : parseDuration(value, what);
  };
  const blob = pick('maxBlobSize');
  const retries = pick('retries');
  return {
    connectTimeoutMs: duration('connectTimeout', 'the connect timeout', DEFAULT_REMOTE_LIMITS.connectTimeoutMs),
    idleTimeoutMs: duration('idleTimeout', 'the idle timeout', DEFAULT_REMOTE_LIMITS.idleTimeoutMs),
    requestTimeoutMs: duration('requestTimeout', 'the request timeout', DEFAULT_REMOTE_LIMITS.requestTimeoutMs),
    maxBlobBytes: blob === undefined ? DEFAULT_REMOTE_LIMITS.maxBlobBytes : Math.round(parseSizeMiB(blob, 'the maximum blob size') * MiB),
    retries: retries === undefined ? DEFAULT_REMOTE_LIMITS.retries : parseCount(retries, 'the retry count'),
  };
}

/** `1.5 s`, `250 ms`: a duration for messages. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

function parseCount(value: string | number, what: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0 || count > 20) {
    throw new AioError('AIO_LIMIT_INVALID', `${what} "${value}" is not a whole number from 0 to 20`, { hint: 'Write it as 3 (0: no retries).' });
  }
  return count;
}
