import { isScalar, type LineCounter, type Node } from 'yaml';
import type { Position } from '../diagnostics.js';
import type { ValueRun } from './model.js';

/**
 * Where each character of a scalar's value is written in the file. A built-in's rules are JSON inside a YAML block
 * scalar or an escaped JSON string; a finding at offset 37 of that JSON must point at the line and column the user
 * sees, through indentation, folding, `''` and backslash escapes. Works for every YAML scalar style; a JSON file's
 * strings are YAML double-quoted scalars.
 */

/** The file position of character `offset` (0-based, UTF-16 units) of a value; past the end reads on from the last run. */
export function positionInValue(runs: readonly ValueRun[], offset: number, fallback: Position): Position {
  if (runs.length === 0) return fallback;
  let low = 0;
  let high = runs.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (runs[mid]![0] <= Math.max(0, offset)) low = mid;
    else high = mid - 1;
  }
  const [start, line, column] = runs[low]!;
  return { line, column: column + Math.max(0, offset - start) };
}

/**
 * The runs of a scalar node's value. When the text cannot be aligned with the value (a style this does not know),
 * everything maps to the scalar's start: a finding is then still on the right line, never at a wrong character.
 */
export function valueRuns(text: string, lines: LineCounter, node: Node | null): ValueRun[] {
  if (!isScalar(node) || typeof node.value !== 'string' || node.range === undefined || node.range === null) return [];
  const [start, end] = node.range;
  const stream = writtenCharacters(text, start, end, node.type);
  const offsets = align(node.value, stream);
  if (offsets === undefined) {
    const pos = lines.linePos(start);
    return [[0, pos.line, pos.col]];
  }
  const runs: ValueRun[] = [];
  let previous = -2;
  let previousLine = -1;
  offsets.forEach((offset, index) => {
    const pos = lines.linePos(offset);
    if (offset !== previous + 1 || pos.line !== previousLine) runs.push([index, pos.line, pos.col]);
    previous = offset;
    previousLine = pos.line;
  });
  return runs;
}

/** The characters a scalar's text stands for, each with its file offset, before YAML's whitespace folding. */
interface Stream {
  chars: string[];
  offsets: number[];
}

function writtenCharacters(text: string, start: number, end: number, type: string | undefined): Stream {
  const stream: Stream = { chars: [], offsets: [] };
  const push = (ch: string, offset: number): void => {
    stream.chars.push(ch);
    stream.offsets.push(offset);
  };
  switch (type) {
    case 'QUOTE_DOUBLE':
      doubleQuoted(text, start + 1, end - 1, push);
      break;
    case 'QUOTE_SINGLE':
      for (let i = start + 1; i < end - 1; i++) {
        push(text[i]!, i);
        if (text[i] === "'" && text[i + 1] === "'") i++;
      }
      break;
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      blockContent(text, start, end, push);
      break;
    default:
      for (let i = start; i < end; i++) push(text[i]!, i);
  }
  return stream;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** A double-quoted scalar (and so a JSON string): each escape's result sits at its backslash. */
function doubleQuoted(text: string, from: number, to: number, push: (ch: string, offset: number) => void): void {
  for (let i = from; i < to; i++) {
    const ch = text[i]!;
    if (ch !== '\\') {
      push(ch, i);
      continue;
    }
    const next = text[i + 1] ?? '';
    if (next === '\n' || next === '\r') {
      // An escaped line break joins the lines with nothing between; the next line's indent is folded away.
      i += next === '\r' && text[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      push(simple, i);
      i += 1;
      continue;
    }
    const length = HEX_LENGTH[next];
    const code = length === undefined ? NaN : Number.parseInt(text.slice(i + 2, i + 2 + length), 16);
    if (length === undefined || Number.isNaN(code)) {
      push(ch, i);
      continue;
    }
    for (const unit of String.fromCodePoint(code).split('')) push(unit, i);
    i += 1 + length;
  }
}

/** A `|` or `>` block: the lines after the header, each without the block's indentation. */
function blockContent(text: string, start: number, end: number, push: (ch: string, offset: number) => void): void {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd === -1 || headerEnd >= end) return;
  const lineStarts: number[] = [];
  for (let i = headerEnd + 1; i < end; i = text.indexOf('\n', i) + 1 || end) lineStarts.push(i);
  let indent = Number.POSITIVE_INFINITY;
  for (const lineStart of lineStarts) {
    let i = lineStart;
    while (i < end && text[i] === ' ') i++;
    if (i < end && text[i] !== '\n' && text[i] !== '\r') indent = Math.min(indent, i - lineStart);
  }
  if (!Number.isFinite(indent)) indent = 0;
  for (const lineStart of lineStarts) {
    let i = lineStart;
    for (let skipped = 0; skipped < indent && text[i] === ' '; skipped++) i++;
    for (; i < end; i++) {
      push(text[i]!, i);
      if (text[i] === '\n') break;
    }
  }
}

const WHITESPACE = /[ \t\r\n]/;

/**
 * Matches the value against the written characters. Every non-blank character must appear in order; blanks are
 * where YAML folds (a line break read as a space, an indent dropped), so they map to the nearest written blank.
 * Undefined when a non-blank character is not where it should be.
 */
function align(value: string, stream: Stream): number[] | undefined {
  const { chars, offsets } = stream;
  const out: number[] = new Array<number>(value.length);
  let p = 0;
  const here = (): number => offsets[p] ?? (offsets.length === 0 ? 0 : offsets[offsets.length - 1]! + 1);
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (WHITESPACE.test(ch)) {
      out[i] = here();
      if (p < chars.length && (chars[p] === ch || WHITESPACE.test(chars[p]!))) p++;
      continue;
    }
    while (p < chars.length && chars[p] !== ch && WHITESPACE.test(chars[p]!)) p++;
    if (chars[p] !== ch) return undefined;
    out[i] = offsets[p]!;
    p++;
  }
  return out;
}
