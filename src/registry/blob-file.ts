/**
 * Blobs on disk, not in memory. A download streams into a temporary file beside its destination, hashed on the
 * way, and is renamed into place only when complete and matching its digest, so a partial or corrupt download never
 * replaces a file that was there; an upload reads its file back one chunk at a time.
 */
import { createHash } from 'node:crypto';
import { open, rename, rm, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AioError } from '../errors.js';
import { formatBytes } from '../files/read-user-file.js';
import type { Descriptor } from './artifacts.js';
import { answeredBy, streamBody } from './http.js';

/** Refuses, before any byte is fetched, a blob whose declared size is no byte count or is over the limit. */
export function checkBlobSize(descriptor: Descriptor, maxBlobBytes: number, where: string): void {
  if (!Number.isSafeInteger(descriptor.size) || descriptor.size < 0) {
    throw new AioError('AIO_REGISTRY_PROTOCOL', `${where} declares the size ${String(descriptor.size)}, which is not a byte count`);
  }
  if (descriptor.size > maxBlobBytes) {
    throw new AioError(
      'AIO_REGISTRY_TOO_LARGE',
      `${where} is ${formatBytes(descriptor.size)}, over the limit of ${formatBytes(maxBlobBytes)}; nothing was downloaded`,
      {
        hint: 'raise --max-blob-size (or remote.maxBlobSize in aio.yaml) if this blob is expected',
      },
    );
  }
}

/** `checkBlobSize`, and the free space where the blob would land. */
export async function checkBlobFits(descriptor: Descriptor, file: string, maxBlobBytes: number, where: string): Promise<void> {
  checkBlobSize(descriptor, maxBlobBytes, where);
  // A folder that cannot be asked, or a file system without blocks (/proc, some FUSE mounts), is not checked here.
  const free = await statfs(dirname(file)).then(
    (fs) => (fs.blocks === 0 ? Number.POSITIVE_INFINITY : fs.bavail * fs.bsize),
    () => Number.POSITIVE_INFINITY,
  );
  if (descriptor.size > free) {
    throw new AioError(
      'AIO_REGISTRY_NO_SPACE',
      `${where} is ${formatBytes(descriptor.size)} but ${dirname(file)} has ${formatBytes(free)} free; nothing was downloaded`,
      {
        hint: 'free disk space, or pull to another folder (-o, or AIO_CACHE_DIR for the module cache)',
      },
    );
  }
}

/**
 * Writes a response's body to `file` via `<file>.<pid>.<n>.partial`, checking it against the descriptor as it
 * arrives: more bytes than declared stop the transfer at once. On any failure the temporary file is removed.
 */
export async function receiveBlob(
  response: Response,
  url: string,
  file: string,
  descriptor: Descriptor,
  where: string,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared !== descriptor.size) {
    await response.body?.cancel().catch(() => undefined);
    throw mismatch(where, `${answeredBy(response, url).host} declares ${declared} bytes, the manifest ${descriptor.size}`);
  }
  const temp = `${file}.${process.pid}.${++partials}.partial`;
  const handle = await open(temp, 'w', 0o644).catch((error: unknown) => {
    throw cannotWrite(file, error);
  });
  try {
    const hash = createHash('sha256');
    let written = 0;
    onProgress?.(0, descriptor.size);
    await streamBody(response, url, async (chunk) => {
      if (written + chunk.length > descriptor.size) throw mismatch(where, `more than the ${descriptor.size} bytes its manifest declares arrived`);
      hash.update(chunk);
      await handle.write(chunk);
      written += chunk.length;
      onProgress?.(written, descriptor.size);
    });
    await handle.close();
    const actual = `sha256:${hash.digest('hex')}`;
    if (written !== descriptor.size) throw mismatch(where, `${written} of ${descriptor.size} bytes arrived`);
    if (actual !== descriptor.digest) throw mismatch(where, `its bytes hash to ${actual}`);
    await rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw (error as NodeJS.ErrnoException).syscall === undefined ? error : cannotWrite(file, error);
  }
}

/** A local file system error (a missing folder, no permission, a full disk) while writing `file`. */
function cannotWrite(file: string, error: unknown): AioError {
  const { code, message } = error as NodeJS.ErrnoException;
  return new AioError('AIO_REGISTRY_WRITE_FAILED', `cannot write ${file}: ${code ?? message}; nothing was written`, {
    hint: 'check that the folder exists and is writable and that the disk has room, or pull somewhere else with -o',
  });
}

let partials = 0;

function mismatch(where: string, why: string): AioError {
  return new AioError('AIO_REGISTRY_DIGEST_MISMATCH', `${where} does not match its descriptor: ${why}; nothing was written`, {
    hint: 'the registry returned corrupted content; retry, and check any proxy between you and the registry',
  });
}

/** A blob to upload: bytes in memory, or a file of `size` bytes (read a chunk at a time). */
export type BlobSource = Buffer | { file: string; size: number };

export function sizeOf(source: BlobSource): number {
  return Buffer.isBuffer(source) ? source.length : source.size;
}

/** `length` bytes of the blob from `offset`. */
export async function readRange(source: BlobSource, offset: number, length: number): Promise<Buffer> {
  if (Buffer.isBuffer(source)) return source.subarray(offset, offset + length);
  const handle = await open(source.file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
