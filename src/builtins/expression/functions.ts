/** Every function name the language knows, by kind; one place for the compiler's checks and its closures. */
import type { ScalarFunction } from './function-table.js';
import { MATH_FUNCTIONS } from './math-functions.js';
import { TEXT_FUNCTIONS } from './text-functions.js';
import { AGGREGATIONS, RUNNING_FUNCTIONS } from './window-functions.js';

export const SCALAR_FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map([...MATH_FUNCTIONS, ...TEXT_FUNCTIONS]);

/** `if` is not in the table: only its chosen branch is evaluated. */
export const CONDITIONAL = 'if';

export const isAggregation = (name: string): boolean => Object.hasOwn(AGGREGATIONS, name);
export const isRunning = (name: string): boolean => Object.hasOwn(RUNNING_FUNCTIONS, name);

/** All names, for "did you mean" hints. */
export const ALL_FUNCTION_NAMES: readonly string[] = [CONDITIONAL, ...SCALAR_FUNCTIONS.keys(), ...Object.keys(AGGREGATIONS), ...Object.keys(RUNNING_FUNCTIONS)];
