import { Command } from '@oclif/core';
import { AioError, ExitCode, isAioError } from '../errors.js';
import { paint, colorEnabled } from './style.js';

/**
 * Every aio command extends this. It gives `--json` to all commands and is the only place that turns errors into
 * output and exit codes: AioError → its message, hint and exit code with no stack trace; anything else is a bug
 * (exit 1) and asks to be reported.
 */
export abstract class AioCommand extends Command {
  static override enableJsonFlag = true;

  protected override async catch(error: Error & { oclif?: { exit?: number } }): Promise<unknown> {
    if (isAioError(error)) {
      process.exitCode = error.exit;
      if (this.jsonEnabled()) this.logJson({ error: error.toJSON() });
      else this.printAioError(error);
      return;
    }
    const parseExit = error.oclif?.exit;
    if (parseExit !== undefined) {
      // oclif's own usage errors (unknown flag, missing argument) and this.exit(): keep their status.
      if (this.jsonEnabled()) {
        process.exitCode = parseExit;
        this.logJson({ error: { code: 'AIO_USAGE', message: error.message, exit: parseExit } });
        return;
      }
      throw error;
    }
    process.exitCode = ExitCode.internal;
    const message = `${error.name}: ${error.message}`;
    if (this.jsonEnabled()) {
      this.logJson({ error: { code: 'AIO_INTERNAL', message, hint: 'this is a bug in aio; please report it', exit: ExitCode.internal } });
      return;
    }
    process.stderr.write(`${paint('red', 'error')} AIO_INTERNAL: ${message}\n`);
    process.stderr.write('This is a bug in aio, not in your input. Please report it with the command you ran and this trace:\n');
    process.stderr.write(`${error.stack ?? message}\n`);
    return;
  }

  private printAioError(error: AioError): void {
    const color = colorEnabled(process.stderr);
    const where = error.location === undefined ? '' : `${error.location.file}:${error.location.line}:${error.location.column}: `;
    process.stderr.write(`${where}${paint('red', 'error', color)} ${error.code}: ${error.message}\n`);
    if (error.hint !== undefined) process.stderr.write(`  ${paint('cyan', 'hint:', color)} ${error.hint}\n`);
  }
}
