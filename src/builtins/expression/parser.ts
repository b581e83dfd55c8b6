/**
 * Parses an expression into a tree that keeps every node's offset, with EXPR's precedence table (spec §4.2):
 * unary `!`/`-` bind tightest, then `^`, `* / %`, `+ -`, the four comparisons, `== !=`, `&&`, `||`, and the tuple
 * comma lowest. All binary operators are left-associative (`2 ^ 3 ^ 2` is 64). What evalexpr has but AIO does not
 * document (assignment, `;`, free identifiers) and the keyword forms `and`/`or`/`not` are refused with a hint.
 */
import type { Value } from './api.js';
import { LexError, tokenize, type Token } from './lexer.js';
import { EMPTY, FALSE, TRUE } from './values.js';

export type BinaryOperator = '^' | '*' | '/' | '%' | '+' | '-' | '<' | '>' | '<=' | '>=' | '==' | '!=' | '&&' | '||';

interface Span {
  offset: number;
  length: number;
  /** Written inside parentheses: precedence warnings leave it alone. */
  parenthesized?: boolean;
}

export type ExpressionNode =
  | (Span & { kind: 'literal'; value: Value })
  /** `$n`; `index` is n (1-based, as written). */
  | (Span & { kind: 'variable'; index: number })
  | (Span & { kind: 'unary'; operator: '-' | '!'; operand: ExpressionNode })
  /** `offset`/`length` are the whole operation's; `operatorOffset` points at the operator. */
  | (Span & { kind: 'binary'; operator: BinaryOperator; left: ExpressionNode; right: ExpressionNode; operatorOffset: number })
  | (Span & { kind: 'call'; name: string; args: ExpressionNode[]; nameLength: number })
  | (Span & { kind: 'tuple'; elements: ExpressionNode[] });

/** A syntax problem: the first one stops the parse. */
export class SyntaxProblem extends Error {
  constructor(
    readonly code: 'AIO_BUILTIN_EXPR_SYNTAX' | 'AIO_BUILTIN_EXPR_UNSUPPORTED',
    message: string,
    readonly offset: number,
    readonly length: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const LEVELS: ReadonlyArray<readonly BinaryOperator[]> = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%'], ['^']];

const UNSUPPORTED_OPERATORS: Record<string, string> = {
  '=': 'use `==` to compare; expressions cannot assign',
  '+=': 'expressions cannot assign; write the whole computation, e.g. `$1 + 1`',
  '-=': 'expressions cannot assign; write the whole computation, e.g. `$1 - 1`',
  '*=': 'expressions cannot assign; write the whole computation',
  '/=': 'expressions cannot assign; write the whole computation',
  '%=': 'expressions cannot assign; write the whole computation',
  '^=': 'expressions cannot assign; write the whole computation',
  '&&=': 'expressions cannot assign; write the whole computation',
  '||=': 'expressions cannot assign; write the whole computation',
  ';': 'a rule has one expression; `;` chaining is not supported',
  '**': 'use `^` for powers (or math::pow(base, exp))',
  '&': 'use `&&` for a logical and (or bitand(a, b) for bits)',
  '|': 'use `||` for a logical or (or bitor(a, b) for bits)',
};

const KEYWORD_HINTS: Record<string, string> = { and: 'use `&&` instead of `and`', or: 'use `||` instead of `or`', not: 'use `!` instead of `not`' };

export function parseExpression(source: string): ExpressionNode {
  let tokens: Token[];
  try {
    tokens = tokenize(source);
  } catch (error) {
    if (error instanceof LexError) throw new SyntaxProblem('AIO_BUILTIN_EXPR_SYNTAX', error.message, error.offset, error.length);
    throw error;
  }
  return new Parser(tokens).parseAll();
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): ExpressionNode {
    if (this.peek().kind === 'end')
      throw new SyntaxProblem('AIO_BUILTIN_EXPR_SYNTAX', 'the expression is empty', 0, 0, 'write an expression such as `$1 > 100`');
    const node = this.tuple();
    const next = this.peek();
    if (next.kind !== 'end') this.unexpected(next, 'an operator or the end of the expression');
    return node;
  }

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private isOperator(text: string): boolean {
    const token = this.peek();
    return token.kind === 'operator' && token.text === text;
  }

  private expect(text: string, what: string): Token {
    if (!this.isOperator(text)) this.unexpected(this.peek(), what);
    return this.tokens[this.at++]!;
  }

  /** `a, b, c` without parentheses is a tuple too (the comma binds loosest). */
  private tuple(): ExpressionNode {
    const first = this.binary(0);
    if (!this.isOperator(',')) return first;
    const elements = [first];
    while (this.isOperator(',')) {
      this.at++;
      elements.push(this.binary(0));
    }
    const last = elements[elements.length - 1]!;
    return { kind: 'tuple', elements, offset: first.offset, length: last.offset + last.length - first.offset };
  }

  private binary(level: number): ExpressionNode {
    if (level === LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'operator' || !(LEVELS[level] as readonly string[]).includes(token.text)) return left;
      this.at++;
      const right = this.binary(level + 1);
      left = {
        kind: 'binary',
        operator: token.text as BinaryOperator,
        left,
        right,
        operatorOffset: token.offset,
        offset: left.offset,
        length: right.offset + right.length - left.offset,
      };
    }
  }

  private unary(): ExpressionNode {
    const token = this.peek();
    if (token.kind === 'operator' && (token.text === '-' || token.text === '!')) {
      this.at++;
      const operand = this.unary();
      return { kind: 'unary', operator: token.text, operand, offset: token.offset, length: operand.offset + operand.length - token.offset };
    }
    return this.primary();
  }

  private primary(): ExpressionNode {
    const token = this.peek();
    switch (token.kind) {
      case 'int':
      case 'float':
        this.at++;
        return { kind: 'literal', value: numberLiteral(token), offset: token.offset, length: token.length };
      case 'string':
        this.at++;
        return { kind: 'literal', value: { type: 'string', value: token.text }, offset: token.offset, length: token.length };
      case 'variable':
        this.at++;
        return { kind: 'variable', index: Number(token.text), offset: token.offset, length: token.length };
      case 'identifier':
        return this.identifier(token);
      case 'operator':
        if (token.text === '(') return this.parenthesized(token);
        return this.unexpected(token, 'a value, `$n`, a function call or `(`');
      default:
        return this.unexpected(token, 'a value, `$n`, a function call or `(`');
    }
  }

  private identifier(token: Token): ExpressionNode {
    this.at++;
    if (token.text === 'true' || token.text === 'false') {
      return { kind: 'literal', value: token.text === 'true' ? TRUE : FALSE, offset: token.offset, length: token.length };
    }
    let name = token.text;
    while (this.isOperator('::')) {
      this.at++;
      const part = this.peek();
      if (part.kind !== 'identifier') this.unexpected(part, 'a function name after `::`');
      this.at++;
      name += `::${part.text}`;
    }
    const nameLength = this.tokens[this.at - 1]!.offset + this.tokens[this.at - 1]!.length - token.offset;
    if (!this.isOperator('(')) {
      const hint =
        KEYWORD_HINTS[name] ??
        'inputs are `$1`, `$2` … in the order of the rule\'s `inputs`; a function is called as `name(arguments)`; strings are quoted ("text")';
      throw new SyntaxProblem(
        'AIO_BUILTIN_EXPR_UNSUPPORTED',
        `\`${name}\` is not a value: expressions have no named variables`,
        token.offset,
        nameLength,
        hint,
      );
    }
    this.at++;
    const args: ExpressionNode[] = [];
    if (!this.isOperator(')')) {
      args.push(this.binary(0));
      while (this.isOperator(',')) {
        this.at++;
        args.push(this.binary(0));
      }
    }
    const close = this.expect(')', `\`,\` or \`)\` to close the call of ${name}`);
    return { kind: 'call', name, args, nameLength, offset: token.offset, length: close.offset + 1 - token.offset };
  }

  private parenthesized(open: Token): ExpressionNode {
    this.at++;
    if (this.isOperator(')')) {
      const close = this.tokens[this.at++]!;
      return { kind: 'literal', value: EMPTY, offset: open.offset, length: close.offset + 1 - open.offset };
    }
    const inner = this.tuple();
    const close = this.expect(')', '`)`');
    return { ...inner, parenthesized: true, offset: open.offset, length: close.offset + 1 - open.offset };
  }

  private unexpected(token: Token, expected: string): never {
    if (token.kind === 'operator' && UNSUPPORTED_OPERATORS[token.text] !== undefined) {
      throw new SyntaxProblem(
        'AIO_BUILTIN_EXPR_UNSUPPORTED',
        `\`${token.text}\` is not supported in expressions`,
        token.offset,
        token.length,
        UNSUPPORTED_OPERATORS[token.text],
      );
    }
    if (token.kind === 'identifier' && KEYWORD_HINTS[token.text] !== undefined) {
      throw new SyntaxProblem(
        'AIO_BUILTIN_EXPR_UNSUPPORTED',
        `\`${token.text}\` is not an operator of the expression language`,
        token.offset,
        token.length,
        KEYWORD_HINTS[token.text],
      );
    }
    if (token.kind === 'end') throw new SyntaxProblem('AIO_BUILTIN_EXPR_SYNTAX', `the expression ends too early: expected ${expected}`, token.offset, 0);
    if (token.kind === 'unknown') {
      const hint = token.text.startsWith('$') ? 'inputs are `$1`, `$2` …; `$metadata` and `$context` belong in `inputs`, not in the expression' : undefined;
      throw new SyntaxProblem('AIO_BUILTIN_EXPR_SYNTAX', `unexpected \`${token.text}\``, token.offset, token.length, hint);
    }
    const shown = token.kind === 'string' ? 'a string' : `\`${token.text}\``;
    throw new SyntaxProblem('AIO_BUILTIN_EXPR_SYNTAX', `unexpected ${shown}: expected ${expected}`, token.offset, token.length);
  }
}

function numberLiteral(token: Token): Value {
  const value = Number(token.text);
  if (token.kind === 'float') return { type: 'float', value };
  if (!Number.isSafeInteger(value)) {
    throw new SyntaxProblem(
      'AIO_BUILTIN_EXPR_SYNTAX',
      `the integer ${token.text} is beyond ±(2^53 − 1), the largest integer aio computes exactly`,
      token.offset,
      token.length,
      'write it as a float (e.g. 1e19) if an approximation is fine',
    );
  }
  return { type: 'int', value };
}
