/**
 * An input string (spec §2.3): `path [? $last] [?? default]`, whitespace free around `?` and `??`, `$last` in any
 * case, the default an integer, float, true, false, null (read as Empty) or a double-quoted string.
 */
import type { ExpressionProblem, InputSpec, Value } from './api.js';
import { parseFieldPath, type PathOptions } from './paths.js';
import { EMPTY, FALSE, TRUE } from './values.js';

export type InputSpecResult = { ok: true; spec: InputSpec } | { ok: false; problems: ExpressionProblem[] };

const DEFAULT = /\s*\?\?\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|"(?:[^"\\]|\\.)*")\s*$/;
const DEFAULT_MARKER = /\?\?/;
const LAST = /\s*\?\s*\$last\s*$/i;
const LOOKS_LIKE_MODIFIER = /\?\s*\$[A-Za-z]*\s*$/;

export function parseInputSpec(text: string, options: PathOptions): InputSpecResult {
  const problem = (code: string, message: string, offset: number, length: number, hint: string): InputSpecResult => ({
    ok: false,
    problems: [{ code, message, offset, length: Math.max(1, length), severity: 'error', hint }],
  });
  let rest = text;
  let fallback: Value | undefined;
  const defaultMatch = DEFAULT.exec(rest);
  if (defaultMatch) {
    fallback = defaultValue(defaultMatch[1]!);
    if (fallback === undefined) {
      const why = defaultMatch[1]!.startsWith('"') ? 'is not a valid string (an unknown \\ escape)' : 'is an integer beyond ±(2^53 − 1)';
      return problem(
        'AIO_BUILTIN_INPUT_DEFAULT',
        `the default ${defaultMatch[1]} ${why}`,
        defaultMatch.index,
        defaultMatch[0].length,
        'write a number, true, false, null or a "quoted string"',
      );
    }
    rest = rest.slice(0, defaultMatch.index);
  } else {
    const marker = DEFAULT_MARKER.exec(rest);
    if (marker) {
      return problem(
        'AIO_BUILTIN_INPUT_DEFAULT',
        `the default after ?? is not a number, true, false, null or a "quoted string": ${rest.slice(marker.index + 2).trim() || '(nothing)'}`,
        marker.index,
        rest.length - marker.index,
        'e.g. "temperature ?? 0" or "status ?? \\"unknown\\""',
      );
    }
  }
  const lastMatch = LAST.exec(rest);
  if (lastMatch) rest = rest.slice(0, lastMatch.index);
  else {
    const odd = LOOKS_LIKE_MODIFIER.exec(rest);
    if (odd)
      return problem(
        'AIO_BUILTIN_INPUT_MODIFIER',
        `unknown input modifier "${odd[0].trim()}"`,
        odd.index,
        odd[0].length,
        'the modifiers are "? $last" and "?? <default>"',
      );
  }
  const path = parseFieldPath(rest, options);
  if (!path.ok) return path;
  return { ok: true, spec: { path: path.path, text: rest, last: lastMatch !== null, fallback } };
}

function defaultValue(text: string): Value | undefined {
  if (text === 'true') return TRUE;
  if (text === 'false') return FALSE;
  if (text === 'null') return EMPTY;
  if (text.startsWith('"')) {
    try {
      return { type: 'string', value: JSON.parse(text) as string };
    } catch {
      return undefined;
    }
  }
  const value = Number(text);
  if (/[.eE]/.test(text)) return { type: 'float', value };
  return Number.isSafeInteger(value) ? { type: 'int', value } : undefined;
}
