/**
 * Numeric functions (spec §4.4): unit conversions, scaling and rounding, `math::*`, and evalexpr's bit functions.
 * Every result is a Float except `math::abs` of an Int and the bit functions (Ints), as in evalexpr.
 */
import { ExpressionError } from './api.js';
import { intArgument, numberArgument } from './function-arguments.js';
import { fixed, type ScalarFunction } from './function-table.js';
import { booleanValue, floatValue, intValue } from './values.js';

/** A documented one-argument Float function. */
const unary = (name: string, compute: (x: number) => number, documented = true): [string, ScalarFunction] => [
  name,
  fixed(1, ([x]) => floatValue(compute(numberArgument(name, x!))), documented),
];

const binary = (name: string, compute: (x: number, y: number) => number): [string, ScalarFunction] => [
  name,
  fixed(2, ([x, y]) => floatValue(compute(numberArgument(name, x!), numberArgument(name, y!)))),
];

const predicate = (name: string, test: (x: number) => boolean): [string, ScalarFunction] => [
  name,
  fixed(1, ([x]) => booleanValue(test(numberArgument(name, x!))), false),
];

/** Halves away from zero, like Rust's f64::round. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** 64-bit two's-complement bit operations, as evalexpr's i64 ones; the result must still be a safe integer. */
const bits = (name: string, compute: (a: bigint, b: bigint) => bigint): [string, ScalarFunction] => [
  name,
  fixed(2, ([a, b]) => intValue(Number(BigInt.asIntN(64, compute(BigInt(intArgument(name, a!)), BigInt(intArgument(name, b!)))))), false),
];

export const MATH_FUNCTIONS: ReadonlyArray<[string, ScalarFunction]> = [
  unary('cToF', (c) => (c * 9) / 5 + 32),
  unary('fToC', (f) => ((f - 32) * 5) / 9),
  unary('psiToBar', (p) => p * 0.0689476),
  unary('barToPsi', (b) => b / 0.0689476),
  unary('inToCm', (i) => i * 2.54),
  unary('cmToIn', (c) => c / 2.54),
  unary('ftToM', (f) => f * 0.3048),
  unary('mToFt', (m) => m / 0.3048),
  unary('lbToKg', (l) => l * 0.453592),
  unary('kgToLb', (k) => k / 0.453592),
  unary('galToL', (g) => g * 3.78541),
  unary('lToGal', (l) => l / 3.78541),
  [
    'scale',
    fixed(5, (args) => {
      const [v, srcLo, srcHi, dstLo, dstHi] = args.map((arg) => numberArgument('scale', arg)) as [number, number, number, number, number];
      if (srcHi === srcLo) throw new ExpressionError('scale: the source range is empty (srcLo equals srcHi)');
      return floatValue(dstLo + ((v - srcLo) * (dstHi - dstLo)) / (srcHi - srcLo));
    }),
  ],
  [
    'round_n',
    fixed(2, ([v, d]) => {
      const places = intArgument('round_n', d!);
      if (places < 0 || places > 15) throw new ExpressionError(`round_n: ${places} decimal places is outside 0..15`);
      const factor = 10 ** places;
      return floatValue(roundHalfAway(numberArgument('round_n', v!) * factor) / factor);
    }),
  ],
  unary('floor', Math.floor),
  unary('ceil', Math.ceil),
  unary('round', roundHalfAway),
  [
    'math::abs',
    fixed(1, ([x]) => {
      if (x!.type === 'int') return intValue(Math.abs(x!.value));
      return floatValue(Math.abs(numberArgument('math::abs', x!)));
    }),
  ],
  unary('math::sqrt', Math.sqrt),
  unary('math::cbrt', Math.cbrt),
  unary('math::ln', Math.log),
  unary('math::log2', Math.log2),
  unary('math::log10', Math.log10),
  binary('math::log', (x, base) => Math.log(x) / Math.log(base)),
  unary('math::exp', Math.exp),
  unary('math::exp2', (x) => 2 ** x),
  binary('math::pow', (base, exponent) => base ** exponent),
  unary('math::cos', Math.cos),
  unary('math::sin', Math.sin),
  unary('math::tan', Math.tan),
  unary('math::acos', Math.acos),
  unary('math::asin', Math.asin),
  unary('math::atan', Math.atan),
  binary('math::atan2', Math.atan2),
  binary('math::hypot', Math.hypot),
  unary('math::cosh', Math.cosh, false),
  unary('math::sinh', Math.sinh, false),
  unary('math::tanh', Math.tanh, false),
  unary('math::acosh', Math.acosh, false),
  unary('math::asinh', Math.asinh, false),
  unary('math::atanh', Math.atanh, false),
  predicate('math::is_nan', Number.isNaN),
  predicate('math::is_finite', Number.isFinite),
  predicate('math::is_infinite', (x) => x === Infinity || x === -Infinity),
  predicate('math::is_normal', (x) => Number.isFinite(x) && x !== 0 && Math.abs(x) >= 2.2250738585072014e-308),
  bits('bitand', (a, b) => a & b),
  bits('bitor', (a, b) => a | b),
  bits('bitxor', (a, b) => a ^ b),
  bits('shl', (a, b) => a << b),
  bits('shr', (a, b) => a >> b),
  ['bitnot', fixed(1, ([a]) => intValue(Number(BigInt.asIntN(64, ~BigInt(intArgument('bitnot', a!))))), false)],
];
