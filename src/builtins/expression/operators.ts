/**
 * The operators' type rules (spec §4.3): Int op Int stays Int (checked: beyond ±(2^53 − 1) is an error), a Float
 * operand makes a Float, `/` on Ints truncates toward zero, `^` is always a Float, `+` concatenates when either
 * operand is a string, `==` is false across types, ordering needs two numbers or two strings.
 */
import { ExpressionError, type Value } from './api.js';
import { concatenationText } from './text-functions.js';
import { booleanValue, compareStrings, describe, floatValue, intValue, stringValue, valuesEqual } from './values.js';
import type { BinaryOperator } from './parser.js';

const VERBS: Record<string, string> = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'take the remainder of', '^': 'raise' };

function typeError(operator: string, left: Value, right: Value): never {
  const missing = left.type === 'empty' || right.type === 'empty' ? ' (an Empty value usually means an input field is missing)' : '';
  const verb = VERBS[operator];
  const what = verb ? `cannot ${verb} ${describe(left)} and ${describe(right)}` : `cannot apply \`${operator}\` to ${describe(left)} and ${describe(right)}`;
  throw new ExpressionError(what + missing);
}

/** Integer division truncating toward zero, exact for every pair of safe integers. */
function intDivide(a: number, b: number): number {
  if (Math.abs(a) <= 2 ** 31 && Math.abs(b) <= 2 ** 31) return Math.trunc(a / b);
  return Number(BigInt(a) / BigInt(b));
}

function arithmetic(operator: '+' | '-' | '*' | '/' | '%', left: Value, right: Value): Value {
  if (operator === '+' && (left.type === 'string' || right.type === 'string')) return stringValue(concatenationText(left) + concatenationText(right));
  if (left.type === 'int' && right.type === 'int') {
    const a = left.value;
    const b = right.value;
    switch (operator) {
      case '+':
        return intValue(a + b);
      case '-':
        return intValue(a - b);
      case '*':
        return intValue(a * b);
      case '/':
        if (b === 0) throw new ExpressionError(`division by zero (${a} / 0)`);
        return intValue(intDivide(a, b));
      case '%':
        if (b === 0) throw new ExpressionError(`remainder by zero (${a} % 0)`);
        return intValue(a % b);
    }
  }
  if ((left.type !== 'int' && left.type !== 'float') || (right.type !== 'int' && right.type !== 'float')) typeError(operator, left, right);
  const a = left.value;
  const b = right.value;
  switch (operator) {
    case '+':
      return floatValue(a + b);
    case '-':
      return floatValue(a - b);
    case '*':
      return floatValue(a * b);
    case '/':
      return floatValue(a / b);
    case '%':
      return floatValue(a % b);
  }
}

function order(operator: '<' | '>' | '<=' | '>=', left: Value, right: Value): Value {
  let difference: number;
  if ((left.type === 'int' || left.type === 'float') && (right.type === 'int' || right.type === 'float')) difference = left.value - right.value;
  else if (left.type === 'string' && right.type === 'string') difference = compareStrings(left.value, right.value);
  else typeError(operator, left, right);
  if (Number.isNaN(difference)) return booleanValue(false);
  switch (operator) {
    case '<':
      return booleanValue(difference < 0);
    case '>':
      return booleanValue(difference > 0);
    case '<=':
      return booleanValue(difference <= 0);
    case '>=':
      return booleanValue(difference >= 0);
  }
}

/** Every binary operator except `&&`/`||`, which the compiler short-circuits. */
export function applyBinary(operator: Exclude<BinaryOperator, '&&' | '||'>, left: Value, right: Value): Value {
  switch (operator) {
    case '==':
      return booleanValue(valuesEqual(left, right));
    case '!=':
      return booleanValue(!valuesEqual(left, right));
    case '<':
    case '>':
    case '<=':
    case '>=':
      return order(operator, left, right);
    case '^':
      if ((left.type !== 'int' && left.type !== 'float') || (right.type !== 'int' && right.type !== 'float')) typeError('^', left, right);
      return floatValue(left.value ** right.value);
    default:
      return arithmetic(operator, left, right);
  }
}

export function applyUnary(operator: '-' | '!', operand: Value): Value {
  if (operator === '!') {
    if (operand.type !== 'boolean') throw new ExpressionError(`\`!\` needs a boolean, got ${describe(operand)}`);
    return booleanValue(!operand.value);
  }
  if (operand.type === 'int') return intValue(-operand.value);
  if (operand.type === 'float') return floatValue(-operand.value);
  throw new ExpressionError(`cannot negate ${describe(operand)}`);
}

/** The operand of `&&`, `||` or `if` must be a boolean. */
export function booleanOperand(what: string, value: Value): boolean {
  if (value.type !== 'boolean') {
    const missing = value.type === 'empty' ? ' (an Empty value usually means an input field is missing)' : '';
    throw new ExpressionError(`${what} needs a boolean, got ${describe(value)}${missing}`);
  }
  return value.value;
}
