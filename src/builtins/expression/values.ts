/**
 * Values of the expression language (spec §2.4): JSON ↔ Value, `typeof`, equality, ordering of strings, and the
 * `str::from` text of a value. Int is a JS number that is always a safe integer: a result beyond ±(2^53 − 1) is an
 * error rather than a silently rounded number (the cluster's i64 reaches 2^63, so such results differ there).
 */
import { ExpressionError, type Value } from './api.js';
import { JsonFloat } from './json-text.js';

export const EMPTY: Value = Object.freeze({ type: 'empty' }) as Value;
export const TRUE: Value = Object.freeze({ type: 'boolean', value: true }) as Value;
export const FALSE: Value = Object.freeze({ type: 'boolean', value: false }) as Value;

export const intValue = (value: number): Value => {
  if (!Number.isSafeInteger(value)) throw new ExpressionError(`integer overflow: the result is beyond ±(2^53 − 1)`);
  return { type: 'int', value };
};
export const floatValue = (value: number): Value => ({ type: 'float', value });
export const stringValue = (value: string): Value => ({ type: 'string', value });
export const booleanValue = (value: boolean): Value => (value ? TRUE : FALSE);

/** A JSON value (as parseJsonText gives it) as an expression value; JSON null reads as Empty. */
export function fromJson(json: unknown): Value {
  switch (typeof json) {
    case 'number':
      // An integer JSON.parse could not hold exactly (beyond 2^53) is read as a Float.
      return Number.isSafeInteger(json) ? { type: 'int', value: json } : { type: 'float', value: json };
    case 'string':
      return { type: 'string', value: json };
    case 'boolean':
      return json ? TRUE : FALSE;
    case 'object':
      if (json === null) return EMPTY;
      if (json instanceof JsonFloat) return { type: 'float', value: json.value };
      if (Array.isArray(json) && json.every(isPrimitive)) return { type: 'tuple', value: json.map(fromJson) };
      return { type: 'json', value: json };
    default:
      return EMPTY;
  }
}

function isPrimitive(json: unknown): boolean {
  return typeof json !== 'object' || json === null || json instanceof JsonFloat;
}

/** A value as JSON for a payload; integral Floats become JsonFloat so they print as `23.0`. NaN/±Infinity are errors. */
export function toJson(value: Value): unknown {
  switch (value.type) {
    case 'int':
    case 'string':
    case 'boolean':
      return value.value;
    case 'float':
      if (!Number.isFinite(value.value)) throw new ExpressionError(`the result ${strFrom(value)} cannot be written as JSON`);
      return Number.isInteger(value.value) ? new JsonFloat(value.value) : value.value;
    case 'tuple':
      return value.value.map(toJson);
    case 'empty':
      return null;
    case 'json':
      return value.value;
  }
}

/** `==`: values of different types are unequal (`1 == 1.0` is false), tuples compare element by element. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a.type === 'json' || b.type === 'json') throw new ExpressionError('a JSON object or array of objects cannot be compared');
  if (a.type !== b.type) return false;
  if (a.type === 'empty') return true;
  if (a.type === 'tuple') {
    const other = (b as typeof a).value;
    return a.value.length === other.length && a.value.every((element, index) => valuesEqual(element, other[index]!));
  }
  return a.value === (b as typeof a).value;
}

/** Byte-wise (UTF-8) order of two strings, which is code-point order, not JS's UTF-16 order. */
export function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (an astral code point) sorts after every BMP character in UTF-8.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** `str::from`: Rust's Display forms (Float 1.0 → "1", never exponent notation; Empty "()"; tuples "(a, \"b\")"). */
export function strFrom(value: Value): string {
  switch (value.type) {
    case 'int':
      return String(value.value);
    case 'float':
      return floatDisplay(value.value);
    case 'string':
      return value.value;
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'empty':
      return '()';
    case 'tuple':
      return `(${value.value.map((element) => (element.type === 'string' ? JSON.stringify(element.value) : strFrom(element))).join(', ')})`;
    case 'json':
      throw new ExpressionError('a JSON object or array of objects cannot be turned into a string');
  }
}

function floatDisplay(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const text = String(value);
  if (!text.includes('e')) return text;
  // Expand JS exponent notation (1e+21, 1e-7) into plain digits as Rust prints them.
  const [mantissa, exponentText] = text.split('e') as [string, string];
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = (mantissa.replace('-', '').indexOf('.') + 1 || mantissa.replace('-', '').length + 1) - 1 + Number(exponentText);
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + body;
}

/** A short description of a value for error messages: its type and, for scalars, its text. */
export function describe(value: Value): string {
  if (value.type === 'empty') return 'Empty ()';
  if (value.type === 'json') return 'a JSON object';
  if (value.type === 'string') return `string ${JSON.stringify(value.value)}`;
  return `${value.type} ${strFrom(value)}`;
}
