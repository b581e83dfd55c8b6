/**
 * `aio emulate --step`: message-level stepping without a debugger. Before an item enters an operation the run
 * stops and shows it (topic, `__ts`, payload, properties), then, once the user goes on, what the operation made of
 * it: passed on (with the new payload), routed to an arm, folded into a window, filtered, dropped, failed. Enter
 * steps; `c` runs on without stopping. The engine's thread waits synchronously on the console, so nothing moves
 * while a step is shown.
 */
import { readSync, writeSync } from 'node:fs';
import { FILTERED_OUT, type EngineObserver } from '../../engine/graph-engine.js';
import { formatTs, type Hlc } from '../../engine/hlc.js';
import type { Item } from '../../engine/message.js';
import type { OperatorFailure } from '../../engine/operator-failure.js';
import type { Arm } from '../../graph/model.js';
import { itemView } from '../inspection/item-view.js';

/** Payload characters shown per step. */
const SHOWN_CHARS = 400;

/** Where the stepper talks: synchronous, since the engine waits on it. */
export interface StepConsole {
  write(text: string): void;
  /** The next line typed, or undefined at the end of input. */
  readLine(): string | undefined;
}

/** The process's own stdin and stderr (also from the graph's worker thread: file descriptors are the process's). */
export function terminalConsole(): StepConsole {
  return {
    write: (text) => void writeSync(2, text),
    readLine: () => {
      const bytes: number[] = [];
      const one = Buffer.alloc(1);
      for (;;) {
        let read: number;
        try {
          read = readSync(0, one, 0, 1, null);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a non-blocking stdin with nothing yet
          return undefined;
        }
        if (read === 0) return bytes.length > 0 ? Buffer.from(bytes).toString() : undefined;
        if (one[0] === 0x0a) return Buffer.from(bytes).toString().replace(/\r$/, '');
        bytes.push(one[0]!);
      }
    },
  };
}

export class Stepper implements EngineObserver {
  private stepping = true;
  /** The operation the user is waiting to see the result of. */
  private awaiting: string | undefined;

  constructor(
    private readonly console: StepConsole,
    /** Operation types, by name: a source takes no step. */
    private readonly typeOf: ReadonlyMap<string, string | undefined>,
  ) {}

  crossed(from: string, to: string, item: Item): void {
    if (!this.stepping || this.typeOf.get(to) === 'source') return;
    this.console.write(`\nstep ▸ ${to} (${this.typeOf.get(to) ?? '?'}) ← ${from}\n${describe(item, '  ')}`);
    this.console.write('  [Enter] step   [c] continue without stepping › ');
    const answer = this.console.readLine();
    if (!process.stdin.isTTY) this.console.write('\n'); // a terminal echoes the Enter; piped answers do not
    if (answer === undefined || answer.trim().toLowerCase() === 'c') {
      this.stepping = false;
      this.console.write(answer === undefined ? '\n  (end of input: continuing without stepping)\n' : '  continuing without stepping\n');
    }
    this.awaiting = to;
  }

  emitted(operation: string, item: Item, arm: Arm | undefined): void {
    if (this.awaiting !== operation) return;
    const type = this.typeOf.get(operation);
    const what =
      type === 'sink'
        ? 'sent it to the sink'
        : arm !== undefined
          ? `routed it to arm ${arm}`
          : type === 'delay'
            ? `delayed it to ${formatTs(item.timestamp)}`
            : 'passed on';
    this.result(operation, `${what}:\n${describe(item, '      ')}`);
  }

  folded(operation: string, _item: Item, window: Hlc): void {
    if (this.awaiting === operation) this.result(operation, `folded it into the window at ${formatTs(window)}`);
  }

  dropped(operation: string, _item: Item, reason: string): void {
    if (this.awaiting === operation) this.result(operation, reason === FILTERED_OUT ? 'filtered it out' : `dropped it: ${reason}`);
  }

  failed(operation: string, failure: OperatorFailure): void {
    if (this.awaiting === operation) this.result(operation, `failed: ${failure.message}`);
  }

  private result(operation: string, text: string): void {
    this.awaiting = undefined;
    this.console.write(`  ↳ ${operation} ${text}\n`);
  }
}

function describe(item: Item, indent: string): string {
  const view = itemView(item);
  const text = view.payload.trimEnd();
  const payload = text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}… (${view.bytes} bytes)` : text;
  const lines = [
    `${view.topic ? `topic ${view.topic}   ` : ''}__ts ${view.ts}${view.contentType ? `   ${view.contentType}` : ''}`,
    `payload ${view.encoding === 'base64' ? '(base64) ' : ''}${payload}`,
  ];
  const properties = view.userProperties.filter(([key]) => key !== '__ts').map(([k, v]) => `${k}=${v}`);
  if (properties.length > 0) lines.push(`properties ${properties.join('  ')}`);
  return lines.map((line) => `${indent}${line}\n`).join('');
}
