import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { finding, type Finding } from '../diagnostics.js';
import { AioError, errorMessage } from '../errors.js';

/** Graph files, aio.yaml and test cases are small; anything larger is almost certainly the wrong file. */
export const MAX_USER_FILE_BYTES = 5 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; finding: Finding };

const START = { line: 1, column: 1 };

/**
 * Reads a file a user pointed us at as UTF-8 text, or says why it cannot be used. Never throws for a user's
 * mistake (missing file, directory, binary, wrong encoding, too large), so validators can report it like any other
 * finding.
 */
export async function readUserTextFile(path: string, maxBytes = MAX_USER_FILE_BYTES): Promise<ReadResult> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      return fail('AIO_FILE_IS_DIRECTORY', `${path} is a directory, not a file`, 'name a YAML file inside it');
    }
    // A FIFO would block the read until a writer comes (forever, for a stray one); a device never ends (/dev/zero).
    if (!info.isFile()) {
      return fail('AIO_FILE_NOT_REGULAR', `${path} is ${specialKind(info)}, not a regular file`, 'name the file itself');
    }
    size = info.size;
  } catch (error) {
    return fail('AIO_FILE_NOT_FOUND', `cannot read ${path}: ${describeFsError(error)}`, 'check the path');
  }
  if (size > maxBytes) {
    return fail(
      'AIO_FILE_TOO_LARGE',
      `file is ${formatBytes(size)}; files of this kind are at most ${formatBytes(maxBytes)}`,
      'check that this is the file you meant',
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readAll(path, size);
  } catch (error) {
    return fail('AIO_FILE_NOT_FOUND', `cannot read ${path}: ${describeFsError(error)}`, 'check the path');
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return {
      ok: false,
      finding: finding(
        'error',
        'AIO_FILE_BINARY',
        positionOfByte(bytes, nul),
        'file is binary (it contains a NUL byte), not YAML text',
        'check that this is the file you meant',
      ),
    };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    return {
      ok: false,
      finding: finding('error', 'AIO_FILE_NOT_UTF8', positionOfByte(bytes, firstInvalidUtf8(bytes)), 'file is not valid UTF-8', 're-save the file as UTF-8'),
    };
  }
}

function fail(code: string, message: string, hint: string): ReadResult {
  return { ok: false, finding: finding('error', code, START, message, hint) };
}

async function readAll(path: string, size: number): Promise<Buffer> {
  // Read at most size + 1 bytes: a file that grows while we read it must not slip past the size limit.
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(size + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total === buffer.length) break;
    }
    return buffer.subarray(0, total);
  } finally {
    await handle.close();
  }
}

/** What a path that is neither a file nor a folder is, in words. */
export function specialKind(info: Pick<Stats, 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'a special file';
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'ELOOP') return 'its symbolic links form a loop';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return errorMessage(error);
}

function positionOfByte(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the first byte that starts an invalid UTF-8 sequence, for the diagnostic's position. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return i;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** `readUserTextFile` for callers that stop on the first problem: the finding becomes an AioError at its position. */
export async function readUserTextOrThrow(path: string): Promise<string> {
  const read = await readUserTextFile(path);
  if (read.ok) return read.text;
  const { code, message, hint, line, column } = read.finding;
  throw new AioError(code, message, { ...(hint === undefined ? {} : { hint }), location: { file: path, line, column } });
}
