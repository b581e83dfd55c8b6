/**
 * The host side of instrumented modules (core/deadline-instrument.ts): the `aio:deadline`.`check` import they call
 * when their fuel runs out. Between calls there is no deadline; during one, a check past it throws, and the throw
 * unwinds the module's frames back to the caller on this very thread. The instance is then in an unknown state and
 * must be dropped, as after a trap.
 */
import { DEADLINE_FUEL, DEADLINE_IMPORT_MODULE, DEADLINE_IMPORT_NAME } from './core/deadline-instrument.js';

/** Thrown through the module's frames when the call it ends is past its deadline. */
export class DeadlineExpired extends Error {
  constructor(readonly limitMs: number) {
    super(`no result within ${limitMs} ms`);
  }
}

export class CallDeadline {
  private until = Infinity;
  private limitMs = 0;
  /** Imports for every core instance of an instrumented component (ignored by the others). */
  readonly imports: Record<string, Record<string, () => number>> = {
    [DEADLINE_IMPORT_MODULE]: { [DEADLINE_IMPORT_NAME]: () => this.check() },
  };

  /** From now, the module's calls have `limitMs` (none when 0 or less), until disarm. */
  arm(limitMs: number): void {
    this.limitMs = limitMs;
    this.until = limitMs > 0 ? performance.now() + limitMs : Infinity;
  }

  disarm(): void {
    this.until = Infinity;
  }

  private check(): number {
    if (performance.now() >= this.until) {
      this.until = -Infinity; // a module catching the throw (wasm exception handling) meets it again at its next check
      throw new DeadlineExpired(this.limitMs);
    }
    return DEADLINE_FUEL;
  }
}
