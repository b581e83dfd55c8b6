/** Durations and sizes as users write them in flags and aio.yaml: `5s`, `500ms`, `2m`; `256MiB`, `1GiB`. */
import { AioError } from '../errors.js';

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/;
const DURATION_MS = { ms: 1, s: 1000, m: 60_000 } as const;
const SIZE = /^(\d+(?:\.\d+)?)\s*(KiB|MiB|GiB)?$/;
const SIZE_MIB = { KiB: 1 / 1024, MiB: 1, GiB: 1024 } as const;

/** Milliseconds; a bare number is milliseconds. `what` names the setting in the error. */
export function parseDuration(text: string | number, what: string): number {
  if (typeof text === 'number') return text;
  const match = DURATION.exec(text.trim());
  if (!match) {
    throw new AioError('AIO_LIMIT_INVALID', `${what} "${text}" is not a duration`, {
      hint: 'Write it as 5s, 500ms or 2m (a bare number is milliseconds; 0 turns it off).',
    });
  }
  return Math.round(Number(match[1]) * DURATION_MS[(match[2] ?? 'ms') as keyof typeof DURATION_MS]);
}

/** Mebibytes; a bare number is MiB. */
export function parseSizeMiB(text: string | number, what: string): number {
  if (typeof text === 'number') return text;
  const match = SIZE.exec(text.trim());
  const mib = match ? Number(match[1]) * SIZE_MIB[(match[2] ?? 'MiB') as keyof typeof SIZE_MIB] : NaN;
  if (!(mib >= 1)) {
    throw new AioError('AIO_LIMIT_INVALID', `${what} "${text}" is not a size of at least 1 MiB`, {
      hint: 'Write it as 256MiB or 1GiB (a bare number is MiB).',
    });
  }
  return mib;
}

const SIZE_BYTES = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?$/;
const BYTES = { B: 1, KiB: 1024, MiB: 1024 * 1024, GiB: 1024 * 1024 * 1024 } as const;

/** Bytes, between `min` and `max`; a bare number is bytes. */
export function parseSizeBytes(text: string | number, what: string, min: number, max: number): number {
  const match = typeof text === 'number' ? ['', String(text)] : SIZE_BYTES.exec(text.trim());
  const bytes = match ? Math.round(Number(match[1]) * BYTES[(match[2] ?? 'B') as keyof typeof BYTES]) : NaN;
  if (!(bytes >= min && bytes <= max)) {
    throw new AioError('AIO_LIMIT_INVALID', `${what} "${text}" is not a size from ${min} to ${max} bytes`, {
      hint: 'Write it as 512KiB or 16MiB (a bare number is bytes).',
    });
  }
  return bytes;
}
