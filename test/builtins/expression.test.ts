/**
 * The AIO expression language: operators, precedence, types, every function, aggregation and running functions,
 * and the compile-time problems with their offsets; plus field paths, input strings and payload JSON text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpressionError, type ExpressionContext, type RunningState, type Value } from '../../src/builtins/expression/api.js';
import { compileExpression } from '../../src/builtins/expression/compile.js';
import { parseInputSpec } from '../../src/builtins/expression/input-spec.js';
import { JsonFloat, parseJsonText, stringifyJson } from '../../src/builtins/expression/json-text.js';
import { parseFieldPath } from '../../src/builtins/expression/paths.js';
import { fromJson, strFrom, toJson } from '../../src/builtins/expression/values.js';

const int = (value: number): Value => ({ type: 'int', value });
const float = (value: number): Value => ({ type: 'float', value });
const str = (value: string): Value => ({ type: 'string', value });
const bool = (value: boolean): Value => ({ type: 'boolean', value });
const tuple = (...value: Value[]): Value => ({ type: 'tuple', value });
const EMPTY: Value = { type: 'empty' };

function compiled(source: string, inputCount = 3, context: ExpressionContext = 'map') {
  const result = compileExpression(source, { context, inputCount });
  assert.ok(result.ok, result.ok ? '' : `${source}: ${result.problems.map((p) => `${p.code} ${p.message}`).join('; ')}`);
  return result;
}

function run(source: string, inputs: Value[] = [], running?: RunningState): Value {
  return compiled(source, Math.max(inputs.length, 3)).expression.evaluate(inputs, running);
}

function fails(source: string, inputs: Value[], pattern: RegExp): void {
  const expression = compiled(source, Math.max(inputs.length, 3)).expression;
  assert.throws(
    () => expression.evaluate(inputs),
    (error: unknown) => error instanceof ExpressionError && pattern.test(error.message),
    source,
  );
}

function problems(source: string, inputCount = 2, context: ExpressionContext = 'map') {
  const result = compileExpression(source, { context, inputCount });
  return result.ok ? result.warnings : result.problems;
}

describe('expression operators and types', () => {
  it('keeps Int arithmetic integral and truncates Int division toward zero', () => {
    assert.deepEqual(run('7 / 2'), int(3));
    assert.deepEqual(run('-7 / 2'), int(-3));
    assert.deepEqual(run('7 % 3'), int(1));
    assert.deepEqual(run('-7 % 3'), int(-1));
    assert.deepEqual(run('2 + 3 * 4'), int(14));
    assert.deepEqual(run('$1 - $2', [int(10), int(4)]), int(6));
  });

  it('makes a Float when either operand is a Float, and `^` always a Float', () => {
    assert.deepEqual(run('7.0 / 2'), float(3.5));
    assert.deepEqual(run('1 + .5'), float(1.5));
    assert.deepEqual(run('3. * 2'), float(6));
    assert.deepEqual(run('1e3'), float(1000));
    assert.deepEqual(run('2.5e-3 * 2'), float(0.005));
    assert.deepEqual(run('2 ^ 2'), float(4));
  });

  it('follows EXPR precedence: unary minus binds tighter than ^, ^ chains left to right', () => {
    assert.deepEqual(run('-2 ^ 2'), float(4));
    assert.deepEqual(run('2 ^ 3 ^ 2'), float(64));
    assert.deepEqual(run('-$1 * 2', [int(3)]), int(-6));
    assert.deepEqual(run('1 + 2 * 3 ^ 2'), float(19));
    assert.deepEqual(run('(1 + 2) * 3'), int(9));
    // Comparisons bind tighter than equality: true == (1 < 2).
    assert.deepEqual(run('true == 1 < 2'), bool(true));
    assert.deepEqual(run('1 < 2 && 3 > 2 || false'), bool(true));
    assert.deepEqual(run('!true || true'), bool(true));
  });

  it('concatenates when one operand of + is a string, numbers written as str::from writes them', () => {
    assert.deepEqual(run('$1 + ", " + $2', [str('Analyst'), str('Kent, WA')]), str('Analyst, Kent, WA'));
    assert.deepEqual(run('"v" + 1.0'), str('v1'));
    assert.deepEqual(run('"v" + 21.5 + true'), str('v21.5true'));
    assert.deepEqual(run('1 + 2 + "x"'), str('3x'));
  });

  it('compares across types as unequal (1 == 1.0 is false), tuples element by element', () => {
    assert.deepEqual(run('1 == 1.0'), bool(false));
    assert.deepEqual(run('1 != 1.0'), bool(true));
    assert.deepEqual(run('() == ()'), bool(true));
    assert.deepEqual(run('$1 == ()', [EMPTY]), bool(true));
    assert.deepEqual(run('(1, "a") == (1, "a")'), bool(true));
    assert.deepEqual(run('(1, "a") == (1, "b")'), bool(false));
    assert.deepEqual(run('"a" < "b"'), bool(true));
    assert.deepEqual(run('1 < 1.5'), bool(true));
    assert.deepEqual(run('2 >= 2'), bool(true));
    assert.deepEqual(run('"é" > "z"'), bool(true));
  });

  it('fails on type errors, Empty operands, division by zero and overflow', () => {
    fails('$1 > 100', [EMPTY], /compare|apply.*Empty.*missing/);
    fails('$1 + 1', [bool(true)], /cannot add boolean true and int 1/);
    fails('"a" < 1', [], /cannot apply `<`/);
    fails('1 / 0', [], /division by zero/);
    fails('1 % 0', [], /remainder by zero/);
    fails('9007199254740991 + 1', [], /integer overflow/);
    fails('-"a"', [], /cannot negate/);
    fails('!1', [], /needs a boolean/);
    fails('1 && true', [], /needs a boolean/);
    fails('$1 + 1', [{ type: 'json', value: { a: 1 } }], /cannot add a JSON object/);
    assert.deepEqual(run('1.0 / 0'), float(Infinity));
  });

  it('short-circuits && and || and evaluates only the chosen branch of if', () => {
    assert.deepEqual(run('false && $1 > 1', [EMPTY]), bool(false));
    assert.deepEqual(run('true || $1 > 1', [EMPTY]), bool(true));
    assert.deepEqual(run('if($2 == (), $1, $1 * $2)', [int(5), EMPTY]), int(5));
    assert.deepEqual(run('if($2 == (), $1, $1 * $2)', [int(5), int(3)]), int(15));
    fails('if(1, 2, 3)', [], /condition of `if` needs a boolean/);
  });

  it('builds tuples with commas and reads () as Empty', () => {
    assert.deepEqual(run('(1, "a", 2.5)'), tuple(int(1), str('a'), float(2.5)));
    assert.deepEqual(run('1, 2'), tuple(int(1), int(2)));
    assert.deepEqual(run('()'), EMPTY);
    assert.deepEqual(run('"a \\"quoted\\" \\\\ b"'), str('a "quoted" \\ b'));
  });
});

describe('expression functions', () => {
  const close = (actual: Value, expected: number): void => {
    assert.equal(actual.type, 'float');
    assert.ok(Math.abs((actual as { value: number }).value - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${strFrom(actual)} ≉ ${expected}`);
  };

  it('converts units', () => {
    const cases: Array<[string, number, number]> = [
      ['cToF', 100, 212],
      ['fToC', 212, 100],
      ['psiToBar', 100, 6.89476],
      ['barToPsi', 6.89476, 100],
      ['inToCm', 1, 2.54],
      ['cmToIn', 2.54, 1],
      ['ftToM', 1, 0.3048],
      ['mToFt', 0.3048, 1],
      ['lbToKg', 1, 0.453592],
      ['kgToLb', 0.453592, 1],
      ['galToL', 1, 3.78541],
      ['lToGal', 3.78541, 1],
    ];
    for (const [name, input, expected] of cases) close(run(`${name}($1)`, [fromJson(input)]), expected);
    fails('cToF($1)', [str('x')], /cToF expects a number, got string "x"/);
  });

  it('scales and rounds', () => {
    close(run('scale(5, 0, 10, 0, 100)'), 50);
    close(run('scale(15, 0, 10, 0, 100)'), 150); // not clamped
    fails('scale(1, 2, 2, 0, 1)', [], /source range is empty/);
    close(run('round_n(3.14159, 2)'), 3.14);
    close(run('round_n(2.5, 0)'), 3);
    close(run('round_n(-2.5, 0)'), -3);
    fails('round_n(1.5, 16)', [], /outside 0..15/);
    assert.deepEqual(run('floor(2.9)'), float(2));
    assert.deepEqual(run('ceil(2.1)'), float(3));
    assert.deepEqual(run('round(2.5)'), float(3));
    assert.deepEqual(run('round(-2.5)'), float(-3));
    assert.deepEqual(run('floor(2)'), float(2));
  });

  it('does math', () => {
    assert.deepEqual(run('math::abs(-3)'), int(3));
    assert.deepEqual(run('math::abs(-3.5)'), float(3.5));
    close(run('math::sqrt(16)'), 4);
    assert.ok(Number.isNaN((run('math::sqrt(-1)') as { value: number }).value));
    close(run('math::cbrt(27)'), 3);
    close(run('math::ln(math::exp(2))'), 2);
    close(run('math::log2(8)'), 3);
    close(run('math::log10(1000)'), 3);
    close(run('math::log(8, 2)'), 3);
    close(run('math::exp2(3)'), 8);
    close(run('math::pow(2, 10)'), 1024);
    close(run('math::cos(0)'), 1);
    close(run('math::sin(0)'), 0);
    close(run('math::tan(0)'), 0);
    close(run('math::acos(1)'), 0);
    close(run('math::asin(1)'), Math.PI / 2);
    close(run('math::atan(1)'), Math.PI / 4);
    close(run('math::atan2(1, 1)'), Math.PI / 4);
    close(run('math::hypot(3, 4)'), 5);
    close(run('math::tanh(0)'), 0);
    assert.deepEqual(run('math::is_nan(math::sqrt(-1))'), bool(true));
    assert.deepEqual(run('bitand(12, 10)'), int(8));
    assert.deepEqual(run('bitor(12, 10)'), int(14));
    assert.deepEqual(run('bitxor(12, 10)'), int(6));
    assert.deepEqual(run('bitnot(0)'), int(-1));
    assert.deepEqual(run('shl(1, 4)'), int(16));
    assert.deepEqual(run('shr(16, 2)'), int(4));
  });

  it('handles strings by character', () => {
    assert.deepEqual(run('len("héllo")'), int(5));
    assert.deepEqual(run('len("a😀b")'), int(3));
    assert.deepEqual(run('len((1, 2, 3))'), int(3));
    fails('len(1)', [], /len expects a string or a tuple/);
    assert.deepEqual(run('str::to_lowercase("AbC")'), str('abc'));
    assert.deepEqual(run('str::to_uppercase("AbC")'), str('ABC'));
    assert.deepEqual(run('str::trim("  x ")'), str('x'));
    assert.deepEqual(run('str::substring("a😀bcd", 1, 3)'), str('😀b'));
    assert.deepEqual(run('str::substring("abcd", 2)'), str('cd'));
    fails('str::substring("abc", 2, 1)', [], /start 2 is after end 1/);
    fails('str::substring("abc", 0, 4)', [], /beyond the string's 3 characters/);
    assert.deepEqual(run('str::regex_matches("sensor-42", "\\\\d+")'), bool(true));
    assert.deepEqual(run('str::regex_matches("Sensor", "(?i)^sensor$")'), bool(true));
    assert.deepEqual(run('str::regex_matches("abc", "^b")'), bool(false));
    assert.deepEqual(run('str::regex_replace("a1b22", "(\\\\d+)", "<${1}>")'), str('a<1>b<22>'));
    assert.deepEqual(run('str::regex_replace("john smith", "(?P<first>\\\\w+) (?P<last>\\\\w+)", "$last $first")'), str('smith john'));
    fails('str::regex_matches("a", $1)', [str('(')], /invalid regular expression/);
  });

  it('formats values with str::from as Rust Display does', () => {
    assert.deepEqual(run('str::from(1.0)'), str('1'));
    assert.deepEqual(run('str::from(21.5)'), str('21.5'));
    assert.deepEqual(run('str::from(1e21)'), str('1000000000000000000000'));
    assert.deepEqual(run('str::from(1e-7)'), str('0.0000001'));
    assert.deepEqual(run('str::from(-42)'), str('-42'));
    assert.deepEqual(run('str::from(())'), str('()'));
    assert.deepEqual(run('str::from((1, "a", true))'), str('(1, "a", true)'));
  });

  it('has min, max, contains, contains_any, typeof', () => {
    assert.deepEqual(run('min(3, 1.5, 2)'), float(1.5));
    assert.deepEqual(run('max(3, 1.5, 2)'), int(3));
    assert.deepEqual(run('min($1)', [tuple(int(4), int(2))]), int(2));
    assert.deepEqual(run('max(7)'), int(7));
    fails('min(1, "a")', [], /min expects numbers/);
    assert.deepEqual(run('contains((1, "a"), "a")'), bool(true));
    assert.deepEqual(run('contains((1, "a"), 1.0)'), bool(false));
    assert.deepEqual(run('contains_any((1, 2, 3), (9, 3))'), bool(true));
    assert.deepEqual(run('contains_any((1, 2, 3), (9, 8))'), bool(false));
    for (const [value, name] of [
      [int(1), 'int'],
      [float(1), 'float'],
      [str(''), 'string'],
      [bool(true), 'boolean'],
      [tuple(), 'tuple'],
      [EMPTY, 'empty'],
    ] as const) {
      assert.deepEqual(run('typeof($1)', [value]), str(name));
    }
  });
});

describe('aggregation and running functions', () => {
  const aggregate = (source: string, columns: Value[][]): Value => compiled(source, columns.length, 'accumulate').expression.aggregate(columns);

  it('aggregates a window column, skipping non-numbers for the numeric ones', () => {
    const column = [float(19.8), float(21.5), float(23.0), str('n/a')];
    assert.deepEqual(aggregate('count($1)', [column]), int(4));
    assert.ok(Math.abs((aggregate('average($1)', [column]) as { value: number }).value - 21.433333333333334) < 1e-12);
    assert.deepEqual(aggregate('min($1)', [column]), float(19.8));
    assert.deepEqual(aggregate('max($1)', [column]), float(23));
    assert.deepEqual(aggregate('sum($1)', [[int(1), int(2)]]), int(3));
    assert.deepEqual(aggregate('sum($1)', [[int(1), float(2)]]), float(3));
    assert.deepEqual(aggregate('sum($1)', [[]]), float(0));
    assert.deepEqual(aggregate('first($1)', [column]), float(19.8));
    assert.deepEqual(aggregate('last($1)', [column]), str('n/a'));
    assert.deepEqual(aggregate('max($1) - min($1)', [column]), float(23 - 19.8));
    assert.deepEqual(aggregate('cToF(average($1)) + count($2)', [[int(100)], [int(1), int(2)]]), float(214));
    assert.throws(() => aggregate('average($1)', [[str('x')]]), /no message in the window had a usable value/);
    assert.throws(() => aggregate('first($1)', [[]]), ExpressionError);
  });

  it('runs trigger functions over the previous messages of the window', () => {
    const trigger = (source: string, current: Value[], history: Value[][]): Value =>
      compiled(source, current.length, 'trigger').expression.evaluate(current, { history, messages: history[0]?.length ?? 0 });
    const history = [[int(10), EMPTY, int(30)]];
    assert.deepEqual(trigger('running_sum($1)', [int(5)], history), int(40));
    assert.deepEqual(trigger('running_sum($1) + $1 > 100', [int(5)], history), bool(false));
    assert.deepEqual(trigger('running_avg($1)', [int(5)], history), float(20));
    assert.deepEqual(trigger('running_min($1)', [int(5)], history), int(10));
    assert.deepEqual(trigger('running_max($1)', [int(5)], history), int(30));
    assert.deepEqual(trigger('running_count($1)', [int(5)], history), int(2));
    assert.deepEqual(trigger('running_count()', [int(5)], history), int(3));
    assert.deepEqual(trigger('first($1)', [int(5)], history), int(10));
    assert.deepEqual(trigger('prev($1)', [int(5)], [[int(10), int(30), EMPTY]]), int(30));
    assert.deepEqual(trigger('changed($1)', [int(30)], history), bool(false));
    assert.deepEqual(trigger('changed($1)', [int(31)], history), bool(true));
    // The first message of a window: nothing before it.
    assert.deepEqual(trigger('running_sum($1)', [int(5)], [[]]), float(0));
    assert.deepEqual(trigger('running_avg($1)', [int(5)], [[]]), int(5));
    assert.deepEqual(trigger('running_min($1)', [int(5)], [[]]), int(5));
    assert.deepEqual(trigger('first($1)', [int(5)], [[]]), int(5));
    assert.deepEqual(trigger('prev($1)', [int(5)], [[]]), int(5));
    assert.deepEqual(trigger('changed($1)', [int(5)], [[]]), bool(false));
  });
});

describe('compile problems', () => {
  const only = (source: string, inputCount = 2, context: ExpressionContext = 'map') => {
    const found = problems(source, inputCount, context);
    assert.equal(found.length, 1, `${source}: ${JSON.stringify(found)}`);
    return found[0]!;
  };

  it('reports syntax errors at their offset', () => {
    assert.deepEqual([only('$1 +').code, only('$1 +').offset], ['AIO_BUILTIN_EXPR_SYNTAX', 4]);
    assert.deepEqual([only('($1 + 2').code, only('($1 + 2').offset], ['AIO_BUILTIN_EXPR_SYNTAX', 7]);
    assert.equal(only('"abc').offset, 0);
    assert.match(only('"abc').message, /not closed/);
    assert.equal(only('$1 # 2').offset, 3);
    assert.equal(only('').code, 'AIO_BUILTIN_EXPR_SYNTAX');
    assert.equal(only('99999999999999999999').code, 'AIO_BUILTIN_EXPR_SYNTAX');
    assert.match(only('$metadata.topic == "a"').hint!, /belong in `inputs`/);
  });

  it('refuses assignment, `;`, free identifiers and and/or/not with a hint', () => {
    const assignment = only('$1 = 3');
    assert.deepEqual([assignment.code, assignment.offset], ['AIO_BUILTIN_EXPR_UNSUPPORTED', 3]);
    assert.match(assignment.hint!, /`==`/);
    assert.equal(only('$1 += 1').code, 'AIO_BUILTIN_EXPR_UNSUPPORTED');
    assert.deepEqual([only('$1; $2').code, only('$1; $2').offset], ['AIO_BUILTIN_EXPR_UNSUPPORTED', 2]);
    const free = only('temperature > 3');
    assert.deepEqual([free.code, free.offset, free.length], ['AIO_BUILTIN_EXPR_UNSUPPORTED', 0, 11]);
    const and = only('$1 > 1 and $2 < 2');
    assert.deepEqual([and.code, and.offset], ['AIO_BUILTIN_EXPR_UNSUPPORTED', 7]);
    assert.match(and.hint!, /`&&`/);
    assert.match(only('not $1').hint!, /`!`/);
  });

  it('checks $n against the inputs', () => {
    const problem = only('$1 + $7', 2);
    assert.deepEqual([problem.code, problem.offset, problem.length], ['AIO_BUILTIN_EXPR_INPUT_RANGE', 5, 2]);
    assert.match(problem.message, /\$7 does not name an input: the rule has 2 inputs/);
    assert.equal(only('$0', 2).code, 'AIO_BUILTIN_EXPR_INPUT_RANGE');
    assert.match(only('$1', 0).message, /the rule has no inputs/);
  });

  it('knows functions and their arity, with a did-you-mean', () => {
    const unknown = only('ctof($1)');
    assert.deepEqual([unknown.code, unknown.offset, unknown.length], ['AIO_BUILTIN_EXPR_UNKNOWN_FUNCTION', 0, 4]);
    assert.match(unknown.hint!, /cToF/);
    assert.equal(only('math::sqrtt($1)').code, 'AIO_BUILTIN_EXPR_UNKNOWN_FUNCTION');
    const arity = only('1 + cToF($1, $2)');
    assert.deepEqual([arity.code, arity.offset], ['AIO_BUILTIN_EXPR_ARITY', 4]);
    assert.equal(only('if($1, 2)').code, 'AIO_BUILTIN_EXPR_ARITY');
    assert.equal(only('str::substring("a")').code, 'AIO_BUILTIN_EXPR_ARITY');
    assert.equal(only('str::regex_matches($1, "(")').code, 'AIO_BUILTIN_EXPR_REGEX');
    assert.equal(only('str::regex_matches($1, "(")').offset, 23);
  });

  it('places aggregation and running functions (§4.7)', () => {
    const aggregation = only('2 * average($1)', 1, 'map');
    assert.deepEqual([aggregation.code, aggregation.offset], ['AIO_BUILTIN_EXPR_AGGREGATION_PLACE', 4]);
    assert.equal(only('count($1) > 3', 1, 'filter').code, 'AIO_BUILTIN_EXPR_AGGREGATION_PLACE');
    assert.equal(only('running_sum($1) > 3', 1, 'branch').code, 'AIO_BUILTIN_EXPR_RUNNING_PLACE');
    assert.equal(only('average($1) > 3', 1, 'trigger').code, 'AIO_BUILTIN_EXPR_AGGREGATION_PLACE');
    assert.deepEqual(
      problems('running_sum($1)', 1, 'accumulate').map((p) => p.code),
      ['AIO_BUILTIN_EXPR_RUNNING_PLACE', 'AIO_BUILTIN_EXPR_AGGREGATION_MISSING'],
    );
    // Accumulate: required, exactly one bare $n each, no bare $n outside.
    assert.equal(only('average($1) + $1', 1, 'accumulate').code, 'AIO_BUILTIN_EXPR_WINDOW_ARGUMENT');
    assert.deepEqual(
      problems('$1 * 2', 1, 'accumulate').map((p) => p.code),
      ['AIO_BUILTIN_EXPR_WINDOW_ARGUMENT', 'AIO_BUILTIN_EXPR_AGGREGATION_MISSING'],
    );
    assert.deepEqual(
      problems('1 + 2', 1, 'accumulate').map((p) => p.code),
      ['AIO_BUILTIN_EXPR_AGGREGATION_MISSING'],
    );
    const nested = only('average($1 + $2)', 2, 'accumulate');
    assert.deepEqual([nested.code, nested.offset], ['AIO_BUILTIN_EXPR_WINDOW_ARGUMENT', 0]);
    assert.equal(only('max($1, $2)', 2, 'accumulate').code, 'AIO_BUILTIN_EXPR_WINDOW_ARGUMENT');
    assert.equal(only('average($3)', 2, 'accumulate').code, 'AIO_BUILTIN_EXPR_INPUT_RANGE');
    assert.equal(only('str::regex_matches(last($1), "a")', 1, 'accumulate').code, 'AIO_BUILTIN_EXPR_REGEX_PLACE');
    assert.equal(only('prev($1 + 1) > 0', 1, 'trigger').code, 'AIO_BUILTIN_EXPR_WINDOW_ARGUMENT');
    assert.deepEqual(problems('average($1) + max($2)', 2, 'accumulate'), []);
    assert.deepEqual(problems('running_count() > 3 && changed($1)', 1, 'trigger'), []);
    assert.deepEqual(problems('max($1, $2) > 3', 2, 'filter'), []);
  });

  it('reports every problem of an expression, not just the first', () => {
    assert.deepEqual(
      problems('foo($1) + $9 + average($2)', 2).map((p) => [p.code, p.offset]),
      [
        ['AIO_BUILTIN_EXPR_UNKNOWN_FUNCTION', 0],
        ['AIO_BUILTIN_EXPR_INPUT_RANGE', 10],
        ['AIO_BUILTIN_EXPR_AGGREGATION_PLACE', 15],
      ],
    );
  });

  it('warns where EXPR and evalexpr disagree, and on undocumented functions, but compiles', () => {
    const power = compiled('-$1 ^ 2', 1);
    assert.deepEqual(
      power.warnings.map((w) => [w.code, w.severity]),
      [['AIO_BUILTIN_EXPR_PRECEDENCE', 'warning']],
    );
    assert.deepEqual(problems('(-$1) ^ 2', 1), []);
    assert.equal(compiled('$1 < $2 < $3').warnings[0]!.code, 'AIO_BUILTIN_EXPR_PRECEDENCE');
    assert.equal(compiled('$1 == $2 < $3').warnings[0]!.code, 'AIO_BUILTIN_EXPR_PRECEDENCE');
    assert.deepEqual(compiled('($1 == $2) == $3').warnings, []);
    assert.equal(compiled('math::cosh($1)', 1).warnings[0]!.code, 'AIO_BUILTIN_EXPR_UNDOCUMENTED');
  });
});

describe('field paths and input strings', () => {
  const path = (text: string, wildcards = true) => {
    const result = parseFieldPath(text, { wildcards });
    assert.ok(result.ok, result.ok ? '' : result.problems[0]!.message);
    return result.path;
  };
  const pathProblem = (text: string, wildcards = true) => {
    const result = parseFieldPath(text, { wildcards });
    assert.ok(!result.ok, text);
    return result.problems[0]!;
  };

  it('splits on dots, keeps quoted segments whole and other characters literal', () => {
    assert.deepEqual(path('Payload."Tag.10".Value'), {
      kind: 'payload',
      segments: [
        { kind: 'name', name: 'Payload' },
        { kind: 'name', name: 'Tag.10' },
        { kind: 'name', name: 'Value' },
      ],
    });
    assert.deepEqual(path('Person.Date of Birth'), {
      kind: 'payload',
      segments: [
        { kind: 'name', name: 'Person' },
        { kind: 'name', name: 'Date of Birth' },
      ],
    });
    assert.deepEqual(path('Payload.He said: "No. It is done"'), {
      kind: 'payload',
      segments: [
        { kind: 'name', name: 'Payload' },
        { kind: 'name', name: 'He said: "No' },
        { kind: 'name', name: ' It is done"' },
      ],
    });
    assert.deepEqual(path('Sensors.*.Reading').kind, 'payload');
    assert.deepEqual((path('*') as { segments: unknown[] }).segments, [{ kind: 'wildcard' }]);
  });

  it('reads the prefixes', () => {
    assert.deepEqual(path('$metadata.topic'), { kind: 'metadata', field: 'topic' });
    assert.deepEqual(path('$metadata.user_property."weird key"'), { kind: 'metadata', field: 'user_property', key: 'weird key' });
    assert.deepEqual(path('$metadata.header.trace'), { kind: 'metadata', field: 'header', key: 'trace' });
    assert.deepEqual(path('$metadata.system_property.content_type'), { kind: 'metadata', field: 'content_type' });
    assert.deepEqual(path('$context(device).location'), { kind: 'context', alias: 'device', segments: [{ kind: 'name', name: 'location' }] });
    assert.deepEqual(path('$source.deviceId'), { kind: 'dataset-source', segments: [{ kind: 'name', name: 'deviceId' }] });
    assert.deepEqual(path('$context.deviceId'), { kind: 'dataset-record', segments: [{ kind: 'name', name: 'deviceId' }] });
  });

  it('reports bad paths at their offset', () => {
    assert.deepEqual([pathProblem('a..b').code, pathProblem('a..b').offset], ['AIO_BUILTIN_PATH_SYNTAX', 2]);
    assert.equal(pathProblem('a.').offset, 1);
    assert.equal(pathProblem('a."b').offset, 2);
    assert.deepEqual([pathProblem('Sensor*').code, pathProblem('Sensor*').offset], ['AIO_BUILTIN_PATH_WILDCARD', 0]);
    assert.deepEqual([pathProblem('*.a.*').code, pathProblem('*.a.*').offset], ['AIO_BUILTIN_PATH_WILDCARD', 4]);
    assert.match(pathProblem('a.*', false).message, /only in map rules/);
    assert.equal(pathProblem('$metadata.qos').code, 'AIO_BUILTIN_PATH_METADATA');
    assert.equal(pathProblem('$metadata.user_property.a.b').code, 'AIO_BUILTIN_PATH_METADATA');
    assert.equal(pathProblem('$context().x').code, 'AIO_BUILTIN_PATH_SYNTAX');
    assert.equal(pathProblem('$payload.x').code, 'AIO_BUILTIN_PATH_SYNTAX');
    assert.equal(pathProblem('').code, 'AIO_BUILTIN_PATH_SYNTAX');
  });

  it('parses ? $last and ?? defaults', () => {
    const spec = (text: string) => {
      const result = parseInputSpec(text, { wildcards: false });
      assert.ok(result.ok, result.ok ? '' : result.problems[0]!.message);
      return result.spec;
    };
    assert.deepEqual(spec('temperature ? $last ?? 0'), { path: path('temperature'), text: 'temperature', last: true, fallback: int(0) });
    assert.deepEqual(spec('temperature?$LAST').last, true);
    assert.deepEqual(spec('t ?? 1.5').fallback, float(1.5));
    assert.deepEqual(spec('t ?? -2').fallback, int(-2));
    assert.deepEqual(spec('t ?? true').fallback, bool(true));
    assert.deepEqual(spec('t ?? null').fallback, EMPTY);
    assert.deepEqual(spec('t ?? "a \\"b\\""').fallback, str('a "b"'));
    assert.deepEqual(spec('$metadata.user_property.region ?? "none"').path, { kind: 'metadata', field: 'user_property', key: 'region' });
    const bad = parseInputSpec('t ?? maybe', { wildcards: false });
    assert.ok(!bad.ok);
    assert.deepEqual([bad.problems[0]!.code, bad.problems[0]!.offset], ['AIO_BUILTIN_INPUT_DEFAULT', 2]);
    const odd = parseInputSpec('t ? $lats', { wildcards: false });
    assert.ok(!odd.ok);
    assert.deepEqual([odd.problems[0]!.code, odd.problems[0]!.offset], ['AIO_BUILTIN_INPUT_MODIFIER', 2]);
    const inner = parseInputSpec('a..b ?? 1', { wildcards: false });
    assert.ok(!inner.ok);
    assert.equal(inner.problems[0]!.offset, 2);
  });
});

describe('payload JSON text', () => {
  it('keeps integral floats as floats and prints them with .0', () => {
    const parsed = parseJsonText('{"a": 23.0, "b": 7, "c": [1.0, 2], "d": 1e3, "e": 2.5, "__proto__": 1.0}') as Record<string, unknown>;
    assert.deepEqual(fromJson(parsed.a), float(23));
    assert.deepEqual(fromJson(parsed.b), int(7));
    assert.deepEqual(fromJson(parsed.c), tuple(float(1), int(2)));
    assert.deepEqual(fromJson(parsed.d), float(1000));
    assert.deepEqual(fromJson(parsed.e), float(2.5));
    assert.ok(Object.hasOwn(parsed, '__proto__'));
    assert.equal(stringifyJson(parsed), '{"a":23.0,"b":7,"c":[1.0,2],"d":1000.0,"e":2.5,"__proto__":1.0}');
    assert.equal(stringifyJson({ t: toJson(float(212)), s: 'x"' }), '{"t":212.0,"s":"x\\""}');
    assert.equal(stringifyJson({ a: 1 }), '{"a":1}');
    assert.ok(toJson(float(3)) instanceof JsonFloat);
    assert.throws(() => toJson(float(NaN)), ExpressionError);
    assert.throws(() => parseJsonText('{"a": 1.0,}'), SyntaxError);
  });

  it('reads JSON values as expression values', () => {
    assert.deepEqual(fromJson(null), EMPTY);
    assert.deepEqual(fromJson([{ a: 1 }]).type, 'json');
    assert.deepEqual(fromJson({ a: 1 }).type, 'json');
    // An integer JSON.parse cannot hold exactly (beyond 2^53) reads as a Float.
    const big = JSON.parse('12345678901234567890') as number;
    assert.deepEqual(fromJson(big), float(big));
  });
});
