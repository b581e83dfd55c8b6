/**
 * Tokens of the expression language (spec §4.1), each with its offset and length in the source. Characters the
 * language does not know become `unknown` tokens so the parser can say where and what they are; `=`, `;` and the
 * compound assignments of evalexpr are lexed as their own operators so they can be refused with a hint.
 */

export type TokenKind = 'int' | 'float' | 'string' | 'identifier' | 'variable' | 'operator' | 'unknown' | 'end';

export interface Token {
  kind: TokenKind;
  /** The token's text as written (for strings: the decoded value; for variables: the digits). */
  text: string;
  offset: number;
  length: number;
}

/** Longest first, so `==` wins over `=`. */
const OPERATORS = [
  '&&=',
  '||=',
  '**',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '^=',
  '::',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '!',
  '<',
  '>',
  '(',
  ')',
  ',',
  ';',
  '=',
  '&',
  '|',
];

export class LexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(message);
  }
}

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';
const isIdentifierStart = (char: string | undefined): boolean => char !== undefined && /[A-Za-z_]/.test(char);
const isIdentifierPart = (char: string | undefined): boolean => char !== undefined && /[A-Za-z0-9_]/.test(char);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at]!;
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    const start = at;
    if (isDigit(char) || (char === '.' && isDigit(source[at + 1]))) {
      at = scanNumber(source, at);
      const text = source.slice(start, at);
      tokens.push({ kind: /[.eE]/.test(text) ? 'float' : 'int', text, offset: start, length: at - start });
    } else if (char === '"') {
      const [value, end] = scanString(source, at);
      tokens.push({ kind: 'string', text: value, offset: start, length: end - start });
      at = end;
    } else if (char === '$' && isDigit(source[at + 1])) {
      at++;
      while (isDigit(source[at])) at++;
      tokens.push({ kind: 'variable', text: source.slice(start + 1, at), offset: start, length: at - start });
    } else if (isIdentifierStart(char)) {
      while (isIdentifierPart(source[at])) at++;
      tokens.push({ kind: 'identifier', text: source.slice(start, at), offset: start, length: at - start });
    } else {
      const operator = OPERATORS.find((candidate) => source.startsWith(candidate, at));
      if (operator === undefined) {
        // A whole run of `$name` reads better in a message than a lone `$`.
        const match = /^\$[A-Za-z_]*/.exec(source.slice(at));
        const text = match ? match[0] : String.fromCodePoint(source.codePointAt(at)!);
        tokens.push({ kind: 'unknown', text, offset: start, length: text.length });
        at += text.length;
      } else {
        tokens.push({ kind: 'operator', text: operator, offset: start, length: operator.length });
        at += operator.length;
      }
    }
  }
  tokens.push({ kind: 'end', text: '', offset: source.length, length: 0 });
  return tokens;
}

/** `42`, `3.14`, `.5`, `3.`, `1e3`, `2.5e-3` (evalexpr's literal forms). */
function scanNumber(source: string, at: number): number {
  while (isDigit(source[at])) at++;
  if (source[at] === '.') {
    at++;
    while (isDigit(source[at])) at++;
  }
  if ((source[at] === 'e' || source[at] === 'E') && (isDigit(source[at + 1]) || (/[+-]/.test(source[at + 1] ?? '') && isDigit(source[at + 2])))) {
    at += 2;
    while (isDigit(source[at])) at++;
  }
  return at;
}

/** A double-quoted string with `\"` and `\\` escapes; returns the decoded value and the offset after the quote. */
function scanString(source: string, start: number): [string, number] {
  let value = '';
  let at = start + 1;
  while (at < source.length) {
    const char = source[at]!;
    if (char === '"') return [value, at + 1];
    if (char === '\\') {
      const next = source[at + 1];
      if (next !== '"' && next !== '\\') throw new LexError(`unknown escape \\${next ?? ''} in a string: only \\" and \\\\ are escapes`, at, 2);
      value += next;
      at += 2;
    } else {
      value += char;
      at++;
    }
  }
  throw new LexError('the string is not closed: a " is missing', start, source.length - start);
}
