/** Argument checks shared by the function tables: each failure names the function and what it got. */
import { ExpressionError, type Value } from './api.js';
import { describe } from './values.js';

export function numberArgument(name: string, value: Value): number {
  if (value.type === 'int' || value.type === 'float') return value.value;
  throw new ExpressionError(`${name} expects a number, got ${describe(value)}`);
}

export function intArgument(name: string, value: Value): number {
  if (value.type === 'int') return value.value;
  throw new ExpressionError(`${name} expects an integer, got ${describe(value)}`);
}

export function stringArgument(name: string, value: Value): string {
  if (value.type === 'string') return value.value;
  throw new ExpressionError(`${name} expects a string, got ${describe(value)}`);
}

export function tupleArgument(name: string, value: Value): readonly Value[] {
  if (value.type === 'tuple') return value.value;
  throw new ExpressionError(`${name} expects a tuple, got ${describe(value)}`);
}

/** An Int or a Float. */
export function isNumeric(value: Value): value is Extract<Value, { type: 'int' | 'float' }> {
  return value.type === 'int' || value.type === 'float';
}
