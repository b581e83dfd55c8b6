/**
 * `aio build`'s progress on stderr: in a terminal, one line per operator redrawn as builds start and end; in a pipe
 * or CI log, one line per finished operator. Standard output stays free for `--json`.
 */
import type { BuildEvent, OperatorBuild } from '../build/build-workspace.js';
import { formatBytes } from '../files/read-user-file.js';
import { colorEnabled, paint } from './style.js';

export class BuildProgress {
  private readonly lines = new Map<string, string>();
  private drawn = 0;
  private readonly live: boolean;
  private readonly color: boolean;

  /** `live`: false under --json, where stderr gets plain lines only. */
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    live = true,
  ) {
    this.live = live && stream.isTTY === true;
    this.color = this.live && colorEnabled(stream);
  }

  readonly onEvent = (event: BuildEvent): void => {
    if (event.type === 'start') {
      this.lines.set(
        event.operator,
        `${paint('cyan', '…', this.color)} ${event.operator.padEnd(16)} building ${event.language}${event.engine ? ` (${event.engine})` : ''}`,
      );
    } else {
      this.lines.set(event.result.name, resultLine(event.result, this.color));
      if (!this.live) this.stream.write(`${resultLine(event.result, false)}\n`);
    }
    if (this.live) this.redraw();
  };

  private redraw(): void {
    if (this.drawn > 0) this.stream.write(`\x1b[${this.drawn}F\x1b[J`);
    const text = [...this.lines.values()];
    this.stream.write(`${text.join('\n')}\n`);
    this.drawn = text.length;
  }
}

export function resultLine(result: OperatorBuild, color: boolean): string {
  const name = result.name.padEnd(16);
  if (result.status === 'failed') return `${paint('red', '✗', color)} ${name} ${result.error?.code ?? 'failed'} (${result.seconds.toFixed(1)} s)`;
  const size = result.size === undefined ? '' : formatBytes(result.size);
  if (result.status === 'up-to-date') return `${paint('gray', '·', color)} ${name} up to date  ${size}  ${result.file}`;
  return `${paint('green', '✓', color)} ${name} built in ${result.seconds.toFixed(1)} s  ${size}  ${result.file}`;
}
