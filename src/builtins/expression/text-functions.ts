/**
 * String and collection functions (spec §4.4). Lengths and substring indices count characters (Unicode code
 * points), as the AIO docs say, not UTF-8 bytes as evalexpr does. Regular expressions are Rust `regex` patterns run
 * by JavaScript's engine (with the `u` flag): the common syntax is the same, a leading `(?i)`/`(?m)`/`(?s)` group is
 * turned into flags, and `$1`/`${name}` in a replacement expand capture groups.
 */
import { ExpressionError, type Value } from './api.js';
import { intArgument, isNumeric, stringArgument, tupleArgument } from './function-arguments.js';
import { fixed, type ScalarFunction } from './function-table.js';
import { booleanValue, describe, intValue, stringValue, strFrom, valuesEqual } from './values.js';

const characters = (text: string): string[] => Array.from(text);

function characterCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) count++; // a low surrogate belongs to the character before it
  }
  return count;
}

const regexCache = new Map<string, RegExp>();

/** Compiles a Rust-syntax pattern once (cached by text); throws ExpressionError when JavaScript cannot read it. */
export function compileRegex(pattern: string): RegExp {
  let regex = regexCache.get(pattern);
  if (regex !== undefined) return regex;
  let body = pattern;
  let flags = 'gu';
  const inline = /^\(\?([ims]+)\)/.exec(body);
  if (inline) {
    flags += inline[1]!;
    body = body.slice(inline[0].length);
  }
  // Rust's `(?P<name>…)` named group is JavaScript's `(?<name>…)`.
  body = body.replace(/\(\?P</g, '(?<');
  try {
    regex = new RegExp(body, flags);
  } catch (error) {
    throw new ExpressionError(`invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
  if (regexCache.size > 1000) regexCache.clear(); // patterns built from message data must not grow memory forever
  regexCache.set(pattern, regex);
  return regex;
}

/** Rust's `${name}`/`${1}`/`$name` replacement syntax in JavaScript's (`$<name>`, `$1`); `$$` is a `$` in both. */
function replacementOf(rust: string): string {
  return rust.replace(/\$(\$|\{([^}]*)\}|([A-Za-z0-9_]+))/g, (whole, _all, braced: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$$';
    const name = braced ?? bare!;
    return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
  });
}

function extreme(name: 'min' | 'max', args: readonly Value[]): Value {
  const values = args.length === 1 && args[0]!.type === 'tuple' ? args[0]!.value : args;
  if (values.length === 0) throw new ExpressionError(`${name} needs at least one value`);
  let best: Value | undefined;
  for (const value of values) {
    if (!isNumeric(value)) throw new ExpressionError(`${name} expects numbers, got ${describe(value)}`);
    if (best === undefined || (name === 'min' ? value.value < (best as typeof value).value : value.value > (best as typeof value).value)) best = value;
  }
  return best!;
}

/** A value `contains` can look for (evalexpr: string, int, float, bool). */
function searchable(name: string, value: Value): Value {
  if (value.type === 'string' || value.type === 'int' || value.type === 'float' || value.type === 'boolean') return value;
  throw new ExpressionError(`${name} looks for a string, number or boolean, got ${describe(value)}`);
}

export const TEXT_FUNCTIONS: ReadonlyArray<[string, ScalarFunction]> = [
  [
    'len',
    fixed(1, ([x]) => {
      if (x!.type === 'string') return intValue(characterCount(x!.value));
      if (x!.type === 'tuple') return intValue(x!.value.length);
      throw new ExpressionError(`len expects a string or a tuple, got ${describe(x!)}`);
    }),
  ],
  ['str::to_lowercase', fixed(1, ([s]) => stringValue(stringArgument('str::to_lowercase', s!).toLowerCase()))],
  ['str::to_uppercase', fixed(1, ([s]) => stringValue(stringArgument('str::to_uppercase', s!).toUpperCase()))],
  ['str::trim', fixed(1, ([s]) => stringValue(stringArgument('str::trim', s!).trim()))],
  ['str::from', fixed(1, ([v]) => stringValue(strFrom(v!)))],
  [
    'str::substring',
    {
      min: 2,
      max: 3,
      documented: true,
      call([s, start, end]) {
        const chars = characters(stringArgument('str::substring', s!));
        const from = intArgument('str::substring', start!);
        const to = end === undefined ? chars.length : intArgument('str::substring', end);
        if (from < 0 || to < 0) throw new ExpressionError('str::substring: indices cannot be negative');
        if (from > to) throw new ExpressionError(`str::substring: start ${from} is after end ${to}`);
        if (to > chars.length) throw new ExpressionError(`str::substring: end ${to} is beyond the string's ${chars.length} characters`);
        return stringValue(chars.slice(from, to).join(''));
      },
    },
  ],
  [
    'str::regex_matches',
    fixed(2, ([s, pattern]) => {
      const regex = compileRegex(stringArgument('str::regex_matches', pattern!));
      regex.lastIndex = 0;
      return booleanValue(regex.test(stringArgument('str::regex_matches', s!)));
    }),
  ],
  [
    'str::regex_replace',
    fixed(3, ([s, pattern, replacement]) => {
      const regex = compileRegex(stringArgument('str::regex_replace', pattern!));
      regex.lastIndex = 0;
      return stringValue(stringArgument('str::regex_replace', s!).replace(regex, replacementOf(stringArgument('str::regex_replace', replacement!))));
    }),
  ],
  ['min', { min: 1, max: Infinity, documented: true, call: (args) => extreme('min', args) }],
  ['max', { min: 1, max: Infinity, documented: true, call: (args) => extreme('max', args) }],
  [
    'contains',
    fixed(2, ([tuple, value]) => {
      const wanted = searchable('contains', value!);
      return booleanValue(tupleArgument('contains', tuple!).some((element) => valuesEqual(element, wanted)));
    }),
  ],
  [
    'contains_any',
    fixed(2, ([tuple, candidates]) => {
      const elements = tupleArgument('contains_any', tuple!);
      return booleanValue(
        tupleArgument('contains_any', candidates!).some((candidate) => elements.some((element) => valuesEqual(element, searchable('contains_any', candidate)))),
      );
    }),
  ],
  [
    'typeof',
    fixed(1, ([v]) => {
      if (v!.type === 'json') throw new ExpressionError('typeof: a JSON object or array of objects has no expression type');
      return stringValue(v!.type);
    }),
  ],
];

/** Used by `+` when one operand is a string: numbers become text as `str::from` writes them. */
export function concatenationText(value: Value): string {
  if (value.type === 'json') throw new ExpressionError('a JSON object or array of objects cannot be added to a string');
  return strFrom(value);
}
