/** The run log on the terminal (MQTT mode), through the live status so lines never tear its block. */
import { levelAtLeast, type LogEntry, type LogLevel, type RunLog } from '../engine/run-log.js';
import { formatLogLine } from './file-log.js';

export class ConsoleLog implements RunLog {
  constructor(
    readonly minLevel: LogLevel,
    private readonly writeLine: (line: string) => void,
  ) {}

  write(entry: LogEntry): void {
    if (levelAtLeast(entry.level, this.minLevel)) this.writeLine(formatLogLine(entry));
  }
}
