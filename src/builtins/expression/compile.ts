/**
 * compileExpression: parse, check for the context (spec §4.7) and build closures, once per rule. The result either
 * evaluates per message or lists every problem with its offset in the expression text.
 */
import type { CompileOptions, CompileResult, CompiledExpression, ExpressionProblem, RunningState, Value } from './api.js';
import { ExpressionError } from './api.js';
import { checkExpression } from './checks.js';
import { buildEvaluator } from './closures.js';
import { parseExpression, SyntaxProblem, type ExpressionNode } from './parser.js';

export function compileExpression(source: string, options: CompileOptions): CompileResult {
  let tree: ExpressionNode;
  try {
    tree = parseExpression(source);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    const problem: ExpressionProblem = { code: error.code, message: error.message, offset: error.offset, length: Math.max(1, error.length), severity: 'error' };
    return { ok: false, problems: [error.hint === undefined ? problem : { ...problem, hint: error.hint }] };
  }
  const problems = checkExpression(tree, options);
  if (problems.some((problem) => problem.severity === 'error')) return { ok: false, problems };
  const mode = options.context === 'accumulate' ? 'accumulate' : options.context === 'trigger' ? 'trigger' : 'scalar';
  const evaluator = buildEvaluator(tree, mode);
  const expression: CompiledExpression = {
    source,
    evaluate(inputs: readonly Value[], running?: RunningState): Value {
      if (mode === 'accumulate') throw new ExpressionError('an accumulate expression is evaluated over a window (aggregate), not per message');
      return evaluator(inputs, running, undefined);
    },
    aggregate(columns: ReadonlyArray<readonly Value[]>): Value {
      if (mode !== 'accumulate') throw new ExpressionError('only accumulate expressions aggregate over a window');
      return evaluator([], undefined, columns);
    },
  };
  return { ok: true, expression, warnings: problems };
}
