/**
 * The functions that see more than one message: aggregations over a window (accumulate rules, spec §4.5) and
 * running functions over the previous messages of the current window (1.1.0 triggers, §4.6). Each takes the values
 * of one input; the compiler checks that its argument is a bare `$n`.
 */
import { ExpressionError, type Value } from './api.js';
import { isNumeric } from './function-arguments.js';
import { floatValue, intValue, valuesEqual } from './values.js';

type NumericValue = Extract<Value, { type: 'int' | 'float' }>;

const numericOf = (values: readonly Value[]): NumericValue[] => values.filter(isNumeric);
const presentOf = (values: readonly Value[]): Value[] => values.filter((value) => value.type !== 'empty');

/** Int when every value is an Int (overflow is an error), else Float; an empty list sums to Float 0.0. */
function sumOf(values: readonly NumericValue[]): Value {
  if (values.length === 0) return floatValue(0);
  let total = 0;
  let allInt = true;
  for (const value of values) {
    total += value.value;
    if (value.type !== 'int') allInt = false;
  }
  return allInt ? intValue(total) : floatValue(total);
}

/** The smallest/largest numeric value, keeping its type; undefined when there is none. */
function extremeOf(values: readonly NumericValue[], smallest: boolean): NumericValue | undefined {
  let best: NumericValue | undefined;
  for (const value of values) if (best === undefined || (smallest ? value.value < best.value : value.value > best.value)) best = value;
  return best;
}

function needValues(name: string, count: number): void {
  if (count === 0) throw new ExpressionError(`${name}: no message in the window had a usable value`);
}

/** `$n` of an aggregation is the window's column of that input: only messages where the field was present. */
export const AGGREGATIONS: Readonly<Record<string, (column: readonly Value[]) => Value>> = {
  average(column) {
    const numbers = numericOf(column);
    needValues('average', numbers.length);
    let total = 0;
    for (const value of numbers) total += value.value;
    return floatValue(total / numbers.length);
  },
  sum: (column) => sumOf(numericOf(column)),
  min(column) {
    const best = extremeOf(numericOf(column), true);
    needValues('min', best === undefined ? 0 : 1);
    return best!;
  },
  max(column) {
    const best = extremeOf(numericOf(column), false);
    needValues('max', best === undefined ? 0 : 1);
    return best!;
  },
  count: (column) => intValue(presentOf(column).length),
  first(column) {
    const present = presentOf(column);
    needValues('first', present.length);
    return present[0]!;
  },
  last(column) {
    const present = presentOf(column);
    needValues('last', present.length);
    return present[present.length - 1]!;
  },
};

/**
 * Running functions: `history` holds the input's value in each previous message of the window (Empty where it was
 * absent), `current` the value in this message. On the first message the min/max/avg/first/prev forms return `current`.
 */
export const RUNNING_FUNCTIONS: Readonly<Record<string, (history: readonly Value[], current: Value) => Value>> = {
  running_sum: (history) => sumOf(numericOf(history)),
  running_avg(history, current) {
    const numbers = numericOf(history);
    if (numbers.length === 0) return current;
    let total = 0;
    for (const value of numbers) total += value.value;
    return floatValue(total / numbers.length);
  },
  running_min: (history, current) => extremeOf(numericOf(history), true) ?? current,
  running_max: (history, current) => extremeOf(numericOf(history), false) ?? current,
  running_count: (history) => intValue(presentOf(history).length),
  first: (history, current) => history.find((value) => value.type !== 'empty') ?? current,
  changed: (history, current) => ({ type: 'boolean', value: history.length > 0 && !valuesEqual(history[history.length - 1]!, current) }),
  prev(history, current) {
    for (let i = history.length - 1; i >= 0; i--) if (history[i]!.type !== 'empty') return history[i]!;
    return current;
  },
};

/** `running_count()` without an argument: how many previous messages the window holds. */
export const runningMessageCount = (messages: number): Value => intValue(messages);
