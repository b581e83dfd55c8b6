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
