/**
 * Findings about a user's file, compiler style. Validation returns these instead of throwing, so a user sees every
 * problem in one run. Shared by graph files, aio.yaml and test cases.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Path of the file as the user named it. */
  file: string;
  /** 1-based line of the offending node. */
  line: number;
  /** 1-based column of the offending node. */
  column: number;
  severity: Severity;
  /** Stable identifier, e.g. AIO_GRAPH_CYCLE; documented in docs/diagnostics.md. */
  code: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** How to fix it, when there is something to say. */
  hint?: string;
}

/** A diagnostic before the file is known: rules work on positions and the caller adds the file. */
export type Finding = Omit<Diagnostic, 'file'>;

export interface Position {
  line: number;
  column: number;
}

export function finding(severity: Severity, code: string, at: Position, message: string, hint?: string): Finding {
  return { line: at.line, column: at.column, severity, code, message, ...(hint === undefined ? {} : { hint }) };
}

export function formatDiagnostic(d: Diagnostic): string {
  const hint = d.hint === undefined ? '' : ` (hint: ${d.hint})`;
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}${hint}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[], strict = false): boolean {
  return diagnostics.some((d) => d.severity === 'error' || (strict && d.severity === 'warning'));
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order for output: by file, then position, then severity. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.code.localeCompare(b.code),
  );
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity] += 1;
  return counts;
}
