/**
 * A file a run writes line by line (its output, its log, its trace) that fails as a user can act on: a full disk or
 * a vanished folder becomes an AioError with the path, never an unhandled stream error, and the file keeps only
 * whole lines (a line the disk took half of is cut off again).
 */
import { closeSync, createWriteStream, openSync, readSync, statSync, type WriteStream } from 'node:fs';
import { rename, truncate } from 'node:fs/promises';
import { AioError, errorMessage } from '../errors.js';

export class LineFile {
  private readonly stream: WriteStream;
  /** Bytes the file is known to hold in whole lines: its size at opening plus every write the disk took. */
  private whole: number;
  private lines = 0;
  private error: NodeJS.ErrnoException | undefined;

  /**
   * `what` names the file in messages ("the output file"). `append` adds to what is there, after ending a line
   * an earlier, killed run left cut. `onFailure` hears of the first write error as it happens (a live run ends on
   * it; a run that checks `failure` between inputs needs no callback).
   */
  constructor(
    private path: string,
    private readonly what: string,
    private readonly append = false,
    private readonly onFailure?: (failure: AioError) => void,
  ) {
    this.whole = append ? existingSize(path) : 0;
    const cutLine = append && this.whole > 0 && !endsWithNewline(path, this.whole);
    this.stream = createWriteStream(path, { flags: append ? 'a' : 'w' });
    this.stream.on('error', (error: NodeJS.ErrnoException) => this.failed(error));
    if (cutLine) this.write('\n');
  }

  /** Where the file is now. */
  get file(): string {
    return this.path;
  }

  /** The write error, as the AioError the run ends with; undefined while all is well. */
  get failure(): AioError | undefined {
    return this.error && this.describe(this.error);
  }

  /** Appends `text`, one or more whole lines ending in a newline. Nothing is written after a failure. */
  write(text: string): void {
    if (this.error) return;
    const bytes = Buffer.byteLength(text);
    const lines = countNewlines(text);
    this.stream.write(text, (error) => {
      if (error) this.failed(error);
      else if (!this.error) {
        this.whole += bytes;
        this.lines += lines;
      }
    });
  }

  /** Flushes and closes; after a failure, cuts the file back to its whole lines and throws the failure. */
  async close(): Promise<void> {
    if (!this.stream.closed) {
      await new Promise<void>((resolve) => {
        this.stream.once('close', resolve);
        this.stream.end();
      });
    }
    if (!this.error) return;
    // A full disk may have taken part of the last write: keep only what was written whole.
    await truncate(this.path, this.whole).catch(() => {});
    throw this.describe(this.error);
  }

  /** Closes, then gives the file its final name: a file under its temporary name is visibly incomplete. */
  async closeAs(finalPath: string): Promise<void> {
    await this.close();
    await rename(this.path, finalPath);
    this.path = finalPath;
  }

  private failed(error: NodeJS.ErrnoException): void {
    if (this.error) return;
    this.error = error;
    this.onFailure?.(this.describe(error));
  }

  private describe(error: NodeJS.ErrnoException): AioError {
    const reason = error.code === 'ENOSPC' ? 'the disk is full (ENOSPC)' : error.code === 'EDQUOT' ? 'the disk quota is used up (EDQUOT)' : errorMessage(error);
    const kept = `the ${this.lines} line(s) this run wrote before it are kept whole`;
    return new AioError('AIO_OUTPUT_WRITE_FAILED', `cannot write ${this.what} ${this.path}: ${reason}; ${kept}`, {
      // An appended file's earlier lines were not counted, so only a fresh file has a line to point at.
      ...(this.append ? {} : { location: { file: this.path, line: this.lines + 1, column: 1 } }),
      hint: 'Free space on that disk (or write elsewhere, e.g. another --data folder) and run again.',
    });
  }
}

function existingSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function endsWithNewline(path: string, size: number): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      return last[0] === 0x0a;
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not a regular file we can read back (e.g. a device): nothing to mend.
    return true;
  }
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
