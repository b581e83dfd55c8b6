/**
 * Why one operator did not build: a compiler's findings (`file:line:col: error: …`, as the compiler wrote them), a
 * missing toolchain with the command that installs it, or a module that does not fit the graph. One operator's
 * failure never stops the others.
 */
import { AioError, ExitCode } from '../errors.js';

export class BuildFailure extends AioError {
  constructor(
    code: string,
    message: string,
    /** Compiler output lines, each with its file:line[:col] when the compiler gave one. */
    readonly diagnostics: string[] = [],
    hint?: string,
  ) {
    super(code, message, { ...(hint === undefined ? {} : { hint }), exit: ExitCode.invalidInput });
  }
}

/** A toolchain that is not installed: names the exact command that installs it. */
export function toolchainMissing(what: string, install: string): BuildFailure {
  return new BuildFailure('AIO_BUILD_TOOLCHAIN_MISSING', `${what} is not installed`, [], `Install it: ${install}`);
}
