/** The shape of a scalar function in the tables (spec §4.4). */
import type { Value } from './api.js';

export interface ScalarFunction {
  /** Fewest arguments. */
  min: number;
  /** Most arguments (Infinity: variadic). */
  max: number;
  /** False for evalexpr functions the AIO docs do not list: accepted with a warning. */
  documented: boolean;
  call(args: readonly Value[]): Value;
}

export const fixed = (arity: number, call: ScalarFunction['call'], documented = true): ScalarFunction => ({ min: arity, max: arity, documented, call });
