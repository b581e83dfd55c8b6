import { formatDiagnostic, sortDiagnostics, type Diagnostic, type Finding } from './diagnostics.js';
import { AioError, ExitCode } from './errors.js';

/**
 * An error made of a file's positioned findings (aio.yaml problems, what the service would reject): every error
 * finding is in the message, compiler style, so one run shows them all; the first is the error's location.
 */
export class FindingsError extends AioError {
  readonly diagnostics: Diagnostic[];

  constructor(code: string, file: string, findings: readonly Finding[], headline: string, hint: string) {
    const diagnostics = sortDiagnostics(findings.map((f) => ({ file, ...f }))).filter((d) => d.severity === 'error');
    const first = diagnostics[0];
    super(
      code,
      `${headline} (${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}):\n${diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`,
      {
        hint,
        exit: ExitCode.invalidInput,
        ...(first === undefined ? {} : { location: { file, line: first.line, column: first.column } }),
      },
    );
    this.diagnostics = diagnostics;
  }
}
