/**
 * Turns a checked tree into nested closures once, so evaluating a rule per message walks no tree and looks up no
 * names. `if`, `&&` and `||` evaluate only what decides them: `if($2 == (), $1, $1 * $2)` (EXPR's own example) must
 * not fail on the branch it does not take.
 */
import { ExpressionError, type RunningState, type Value } from './api.js';
import { CONDITIONAL, SCALAR_FUNCTIONS } from './functions.js';
import { applyBinary, applyUnary, booleanOperand } from './operators.js';
import type { ExpressionNode } from './parser.js';
import { EMPTY, FALSE, TRUE } from './values.js';
import { AGGREGATIONS, RUNNING_FUNCTIONS, runningMessageCount } from './window-functions.js';

export type Evaluator = (inputs: readonly Value[], running: RunningState | undefined, columns: ReadonlyArray<readonly Value[]> | undefined) => Value;

const NO_VALUES: readonly Value[] = [];

/** `mode` decides what window functions mean: aggregations read `columns`, running functions read `running`. */
export function buildEvaluator(node: ExpressionNode, mode: 'scalar' | 'accumulate' | 'trigger'): Evaluator {
  const build = (child: ExpressionNode): Evaluator => buildEvaluator(child, mode);
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'variable': {
      const index = node.index - 1;
      return (inputs) => inputs[index] ?? EMPTY;
    }
    case 'unary': {
      const operand = build(node.operand);
      const operator = node.operator;
      return (inputs, running, columns) => applyUnary(operator, operand(inputs, running, columns));
    }
    case 'tuple': {
      const elements = node.elements.map(build);
      return (inputs, running, columns) => ({ type: 'tuple', value: elements.map((element) => element(inputs, running, columns)) });
    }
    case 'binary': {
      const left = build(node.left);
      const right = build(node.right);
      const operator = node.operator;
      if (operator === '&&') {
        return (inputs, running, columns) =>
          booleanOperand('`&&`', left(inputs, running, columns)) && booleanOperand('`&&`', right(inputs, running, columns)) ? TRUE : FALSE;
      }
      if (operator === '||') {
        return (inputs, running, columns) =>
          booleanOperand('`||`', left(inputs, running, columns)) || booleanOperand('`||`', right(inputs, running, columns)) ? TRUE : FALSE;
      }
      return (inputs, running, columns) => applyBinary(operator, left(inputs, running, columns), right(inputs, running, columns));
    }
    case 'call':
      return buildCall(node, mode, build);
  }
}

function buildCall(
  node: Extract<ExpressionNode, { kind: 'call' }>,
  mode: 'scalar' | 'accumulate' | 'trigger',
  build: (child: ExpressionNode) => Evaluator,
): Evaluator {
  const { name } = node;
  // The checks guarantee a bare `$n` argument for window functions.
  const inputIndex = node.args[0]?.kind === 'variable' ? node.args[0].index - 1 : -1;
  if (mode === 'accumulate' && Object.hasOwn(AGGREGATIONS, name)) {
    const aggregate = AGGREGATIONS[name]!;
    return (_inputs, _running, columns) => {
      if (columns === undefined) throw new ExpressionError(`${name} aggregates a window; this expression was evaluated on one message`);
      return aggregate(columns[inputIndex] ?? NO_VALUES);
    };
  }
  if (mode === 'trigger' && Object.hasOwn(RUNNING_FUNCTIONS, name)) {
    if (node.args.length === 0) return (_inputs, running) => runningMessageCount(running?.messages ?? 0);
    const running = RUNNING_FUNCTIONS[name]!;
    return (inputs, state) => running(state?.history[inputIndex] ?? NO_VALUES, inputs[inputIndex] ?? EMPTY);
  }
  const args = node.args.map(build);
  if (name === CONDITIONAL) {
    const [condition, then, otherwise] = args as [Evaluator, Evaluator, Evaluator];
    return (inputs, running, columns) =>
      (booleanOperand('the condition of `if`', condition(inputs, running, columns)) ? then : otherwise)(inputs, running, columns);
  }
  const fn = SCALAR_FUNCTIONS.get(name)!;
  if (args.length === 1) {
    const [only] = args as [Evaluator];
    return (inputs, running, columns) => fn.call([only(inputs, running, columns)]);
  }
  return (inputs, running, columns) => fn.call(args.map((arg) => arg(inputs, running, columns)));
}
