import { createHash } from 'node:crypto';
import { AioError } from '../errors.js';

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Every pull is checked: a registry or proxy that corrupts content must not hand a broken module to the runtime. */
export function verifyDigest(bytes: Uint8Array, expected: string, what: string): void {
  const actual = sha256Digest(bytes);
  if (actual !== expected) {
    throw new AioError('AIO_REGISTRY_DIGEST_MISMATCH', `${what} does not match its digest: expected ${expected}, got ${actual}`, {
      hint: 'the registry returned corrupted content; retry, and check any proxy between you and the registry',
    });
  }
}

const SHA256 = /^sha256:[a-f0-9]{64}$/;

/**
 * Refuses a digest that is not `sha256:` and 64 lower-case hex digits before it is used in a URL or a file name: a
 * registry's manifest is untrusted input, and `sha256:../../../victim` would otherwise name a path outside the cache.
 */
export function checkDigest(digest: unknown, where: string): string {
  if (typeof digest === 'string' && SHA256.test(digest)) return digest;
  const shown = typeof digest === 'string' ? JSON.stringify(digest.slice(0, 100)) : String(digest);
  throw new AioError('AIO_REGISTRY_BAD_DIGEST', `${where} has the digest ${shown}, which is not sha256:<64 lower-case hex digits>`, {
    hint: 'the registry sent a malformed manifest or header; nothing was fetched or written for it',
  });
}
