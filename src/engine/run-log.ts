/** Where module and host log lines go during a run (a file, the terminal, or memory in tests). */

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'critical'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  level: LogLevel;
  /** The graph operation that wrote it, or `host`. */
  operation: string;
  /** The module's own context string (often its module path). */
  context: string;
  message: string;
  time: Date;
}

export interface RunLog {
  /** Entries below this level are dropped before they are formatted. */
  readonly minLevel: LogLevel;
  write(entry: LogEntry): void;
}

export function levelAtLeast(level: LogLevel, min: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(min);
}

/** Keeps entries in memory; for tests and for summaries. */
export class MemoryLog implements RunLog {
  readonly entries: LogEntry[] = [];
  constructor(readonly minLevel: LogLevel = 'trace') {}
  write(entry: LogEntry): void {
    if (levelAtLeast(entry.level, this.minLevel)) this.entries.push(entry);
  }
}
