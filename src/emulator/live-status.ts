/**
 * What a running emulation shows. In a terminal: a compact block redrawn in place (messages per second in and
 * out, per-operation counts) with log lines scrolling above it. Otherwise (a pipe, CI, --json): plain lines, one
 * progress line every few seconds, never escape codes.
 */
import type { HasOperationStats } from '../engine/operation-stats.js';

const REDRAW_MS = 500;
const PLAIN_EVERY_MS = 5000;

export class LiveStatus {
  private timer: NodeJS.Timeout | undefined;
  private drawnLines = 0;
  private lastIn = 0;
  private lastOut = 0;
  private lastAt = performance.now();

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly interactive: boolean,
  ) {}

  start(engine: HasOperationStats): void {
    this.timer = setInterval(() => this.tick(engine), this.interactive ? REDRAW_MS : PLAIN_EVERY_MS);
    this.timer.unref();
  }

  /** Writes a line above the live block (or plainly). */
  line(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
  }

  stop(): void {
    clearInterval(this.timer);
    this.clear();
  }

  private tick(engine: HasOperationStats): void {
    const stats = engine.stats;
    const totalIn = stats.filter((s) => s.type === 'source').reduce((n, s) => n + s.in, 0);
    const totalOut = stats.filter((s) => s.type === 'sink').reduce((n, s) => n + s.out, 0);
    const now = performance.now();
    const seconds = (now - this.lastAt) / 1000;
    const rateIn = Math.round((totalIn - this.lastIn) / seconds);
    const rateOut = Math.round((totalOut - this.lastOut) / seconds);
    [this.lastIn, this.lastOut, this.lastAt] = [totalIn, totalOut, now];
    const headline = `${totalIn} in (${rateIn}/s) → ${totalOut} out (${rateOut}/s)`;
    if (!this.interactive) {
      if (totalIn > 0) this.stream.write(`status: ${headline}\n`);
      return;
    }
    const width = Math.max(...stats.map((s) => s.operation.length));
    const rows = stats.map(
      (s) => `  ${s.operation.padEnd(width)}  in ${s.in}  out ${s.out}${s.dropped ? `  dropped ${s.dropped}` : ''}${s.errors ? `  errors ${s.errors}` : ''}`,
    );
    this.clear();
    const block = [`● ${headline}   (Ctrl+C to stop)`, ...rows];
    this.stream.write(`${block.join('\n')}\n`);
    this.drawnLines = block.length;
  }

  private clear(): void {
    if (!this.interactive || this.drawnLines === 0) return;
    this.stream.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
  }
}
