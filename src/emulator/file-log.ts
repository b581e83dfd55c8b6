/** The run log as the AIO tooling writes it (`output/logs/host-app.log`), optionally echoed to the terminal. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineFile } from '../files/line-file.js';
import type { AioError } from '../errors.js';
import { levelAtLeast, type LogEntry, type LogLevel, type RunLog } from '../engine/run-log.js';

export function formatLogLine(entry: LogEntry): string {
  const context = entry.context && entry.context !== 'host' ? ` ${entry.context}:` : '';
  return `${entry.time.toISOString()} ${entry.level.toUpperCase().padEnd(8)} [${entry.operation}]${context} ${entry.message}`;
}

export class FileLog implements RunLog {
  private readonly stream: LineFile;

  constructor(
    readonly file: string,
    readonly minLevel: LogLevel,
    /** Also called for entries at or above `echoLevel` (e.g. warnings to the terminal). */
    private readonly echo?: { level: LogLevel; write: (entry: LogEntry) => void },
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.stream = new LineFile(file, 'the run log', true);
  }

  write(entry: LogEntry): void {
    if (!levelAtLeast(entry.level, this.minLevel)) return;
    this.stream.write(`${formatLogLine(entry)}\n`);
    if (this.echo && levelAtLeast(entry.level, this.echo.level)) this.echo.write(entry);
  }

  /** The write error the run should end with (a full disk), if any. */
  get failure(): AioError | undefined {
    return this.stream.failure;
  }

  close(): Promise<void> {
    return this.stream.close();
  }
}
