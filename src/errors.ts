/**
 * Typed errors and the exit-code table. Services throw these; only the command layer turns them into output and
 * an exit status (see src/cli/base-command.ts).
 */
import { catalogExit } from './error-codes.js';

/** Process exit codes, documented in `aio --help` and the README. */
export const ExitCode = {
  /** Everything worked. */
  ok: 0,
  /** A bug in aio: the message asks the user to report it. */
  internal: 1,
  /** The command line itself is wrong (oclif's own parse errors). */
  usage: 2,
  /** Invalid input: a graph, aio.yaml, a module, or a test expectation that was not met. */
  invalidInput: 3,
  /** A remote service failed: registry, Azure Resource Manager, Kubernetes. */
  remote: 4,
  /** A deployment finished but is unhealthy or partial. */
  unhealthy: 5,
  /** The user stopped it: a declined prompt, or a second Ctrl+C (the shells' convention for an interrupt). */
  stopped: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Rows for `aio --help` and the README, in code order. */
export const EXIT_CODE_TABLE: ReadonlyArray<readonly [ExitCodeValue, string]> = [
  [ExitCode.ok, 'success'],
  [ExitCode.internal, 'internal error (a bug: please report it)'],
  [ExitCode.usage, 'usage error (unknown command, flag or argument)'],
  [ExitCode.invalidInput, 'invalid input: graph, aio.yaml, module, or a test expectation not met'],
  [ExitCode.remote, 'remote failure: registry, Azure Resource Manager, Kubernetes'],
  [ExitCode.unhealthy, 'deployment finished but unhealthy or partial'],
  [ExitCode.stopped, 'stopped by the user: a declined prompt, or a second Ctrl+C'],
];

/** Where in a file something is; line and column are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface AioErrorOptions {
  /** How the user can fix it, in one sentence. */
  hint?: string;
  /** Exit status, for the rare code whose status depends on the case; otherwise the catalog's (src/error-catalog.ts). */
  exit?: ExitCodeValue;
  /** The file position the error is about, when there is one. */
  location?: SourceLocation;
  cause?: unknown;
}

/**
 * An error the user can fix. `code` is stable (scripts match on it); `message` says what is wrong; `hint` says how
 * to fix it. Never put secrets in any of them.
 */
export class AioError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exit: ExitCodeValue;
  readonly location: SourceLocation | undefined;

  constructor(code: string, message: string, options: AioErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AioError';
    this.code = code;
    this.hint = options.hint;
    this.exit = options.exit ?? catalogExit(code) ?? ExitCode.invalidInput;
    this.location = options.location;
  }

  /** `file:line:col: CODE: message (hint: …)`, for reports that give each error one line (test cases). */
  oneLine(): string {
    const where = this.location ? `${this.location.file}:${this.location.line}:${this.location.column}: ` : '';
    return `${where}${this.code}: ${this.message}${this.hint ? ` (hint: ${this.hint})` : ''}`;
  }

  /** The shape printed under `--json`. */
  toJSON(): { code: string; message: string; hint?: string; exit: number; location?: SourceLocation } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      exit: this.exit,
      ...(this.location === undefined ? {} : { location: this.location }),
    };
  }
}

export function isAioError(error: unknown): error is AioError {
  return error instanceof AioError;
}

/** One line for anything thrown: an AioError's code, message and hint (`oneLine`), else its message. */
export function describeError(error: unknown): string {
  return isAioError(error) ? error.oneLine() : errorMessage(error);
}

/** The message of anything thrown: an Error's message, or the value itself as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
