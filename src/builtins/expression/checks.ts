/**
 * The checks that depend on where an expression is used (spec §4.7), run once at compile time over the whole tree
 * so every problem is reported, not just the first: `$n` within the rule's inputs; aggregations only in accumulate
 * rules (and required there, each over exactly one bare `$n`, with no `$n` outside them); running functions only
 * in triggers; known functions with the right number of arguments; regular expressions that compile. Warnings:
 * functions the AIO docs do not list, and operator mixes whose meaning differs between EXPR's precedence table and
 * evalexpr's (`-x ^ y`, chained comparisons).
 */
import { didYouMean } from '../../util/suggest.js';
import type { CompileOptions, ExpressionProblem } from './api.js';
import { ALL_FUNCTION_NAMES, CONDITIONAL, isAggregation, isRunning, SCALAR_FUNCTIONS } from './functions.js';
import type { ExpressionNode } from './parser.js';
import { compileRegex } from './text-functions.js';

type Call = Extract<ExpressionNode, { kind: 'call' }>;

const COMPARISONS = new Set(['<', '>', '<=', '>=']);

export function checkExpression(root: ExpressionNode, options: CompileOptions): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  const report = (code: string, node: { offset: number; length: number }, message: string, hint?: string, severity: 'error' | 'warning' = 'error'): void => {
    problems.push({ code, message, offset: node.offset, length: Math.max(1, node.length), severity, ...(hint === undefined ? {} : { hint }) });
  };
  let aggregations = 0;

  const checkVariable = (node: Extract<ExpressionNode, { kind: 'variable' }>): void => {
    if (node.index >= 1 && node.index <= options.inputCount) return;
    const have =
      options.inputCount === 0
        ? 'the rule has no inputs'
        : `the rule has ${options.inputCount} input${options.inputCount === 1 ? '' : 's'} ($1${options.inputCount > 1 ? `..$${options.inputCount}` : ''})`;
    report(
      'AIO_BUILTIN_EXPR_INPUT_RANGE',
      node,
      `$${node.index} does not name an input: ${have}`,
      'add the field to `inputs` (position n binds $n) or use a lower $n',
    );
  };

  /** The single bare `$n` an aggregation or running function takes. */
  const checkBareVariable = (node: Call, kind: string): void => {
    const [arg] = node.args;
    if (node.args.length === 1 && arg!.kind === 'variable') {
      checkVariable(arg!);
      return;
    }
    report(
      'AIO_BUILTIN_EXPR_WINDOW_ARGUMENT',
      node,
      `${kind} ${node.name} takes exactly one bare input variable such as $1`,
      `write e.g. ${node.name}($1); compute on its result instead: ${node.name}($1) * 2`,
    );
  };

  const checkCall = (node: Call): void => {
    const { name, args } = node;
    const nameSpan = { offset: node.offset, length: node.nameLength };
    if (options.context === 'accumulate' && isAggregation(name)) {
      aggregations++;
      checkBareVariable(node, 'the aggregation');
      return;
    }
    if (options.context === 'trigger' && isRunning(name)) {
      if (name === 'running_count' && args.length === 0) return;
      checkBareVariable(node, 'the running function');
      return;
    }
    if (isAggregation(name) && !SCALAR_FUNCTIONS.has(name)) {
      report(
        'AIO_BUILTIN_EXPR_AGGREGATION_PLACE',
        nameSpan,
        `${name} is an aggregation function: it works only in window accumulate rules`,
        'aggregate over messages with a window transform (graph-dataflow-window)',
      );
      return;
    }
    if (isRunning(name) && !SCALAR_FUNCTIONS.has(name)) {
      report(
        'AIO_BUILTIN_EXPR_RUNNING_PLACE',
        nameSpan,
        `${name} is a running function: it works only in window 1.1.0 trigger rules`,
        'use it in a window `triggers` rule',
      );
      return;
    }
    args.forEach(visit);
    if (name === CONDITIONAL) {
      if (args.length !== 3) report('AIO_BUILTIN_EXPR_ARITY', node, `if takes 3 arguments (condition, then, else), got ${args.length}`);
      return;
    }
    const fn = SCALAR_FUNCTIONS.get(name);
    if (fn === undefined) {
      const suggestion = didYouMean(name, ALL_FUNCTION_NAMES);
      report(
        'AIO_BUILTIN_EXPR_UNKNOWN_FUNCTION',
        nameSpan,
        `unknown function ${name}`,
        suggestion ?? 'see the function list in the README (Built-in transforms)',
      );
      return;
    }
    if (args.length < fn.min || args.length > fn.max) {
      const expected = fn.min === fn.max ? `${fn.min}` : fn.max === Infinity ? `at least ${fn.min}` : `${fn.min} to ${fn.max}`;
      report('AIO_BUILTIN_EXPR_ARITY', node, `${name} takes ${expected} argument${fn.min === 1 && fn.max === 1 ? '' : 's'}, got ${args.length}`);
    }
    if (!fn.documented)
      report(
        'AIO_BUILTIN_EXPR_UNDOCUMENTED',
        nameSpan,
        `${name} comes from evalexpr and is not in the AIO documentation`,
        'the cluster may not offer it; prefer a documented function',
        'warning',
      );
    if (name.startsWith('str::regex_')) {
      if (options.context === 'accumulate') report('AIO_BUILTIN_EXPR_REGEX_PLACE', nameSpan, `${name} is not available in window accumulate rules`);
      const pattern = args[1];
      if (pattern?.kind === 'literal' && pattern.value.type === 'string') {
        try {
          compileRegex(pattern.value.value);
        } catch (error) {
          report('AIO_BUILTIN_EXPR_REGEX', pattern, (error as Error).message, 'the pattern uses Rust regex syntax');
        }
      }
    }
  };

  const visit = (node: ExpressionNode): void => {
    switch (node.kind) {
      case 'literal':
        return;
      case 'variable':
        if (options.context === 'accumulate') {
          report(
            'AIO_BUILTIN_EXPR_WINDOW_ARGUMENT',
            node,
            `$${node.index} outside an aggregation: in accumulate rules every input is a collection of values`,
            `wrap it in an aggregation, e.g. last($${node.index}) or average($${node.index})`,
          );
        } else checkVariable(node);
        return;
      case 'unary':
        visit(node.operand);
        return;
      case 'tuple':
        node.elements.forEach(visit);
        return;
      case 'call':
        checkCall(node);
        return;
      case 'binary':
        checkPrecedence(node, report);
        visit(node.left);
        visit(node.right);
    }
  };

  visit(root);
  if (options.context === 'accumulate' && aggregations === 0) {
    report(
      'AIO_BUILTIN_EXPR_AGGREGATION_MISSING',
      root,
      'an accumulate expression needs at least one aggregation function',
      'e.g. average($1), sum($1), min($1), max($1), count($1), first($1), last($1)',
    );
  }
  return problems;
}

type Report = (code: string, node: { offset: number; length: number }, message: string, hint?: string, severity?: 'error' | 'warning') => void;

function checkPrecedence(node: Extract<ExpressionNode, { kind: 'binary' }>, report: Report): void {
  const { left, right } = node;
  if (node.operator === '^' && left.kind === 'unary' && !left.parenthesized) {
    report(
      'AIO_BUILTIN_EXPR_PRECEDENCE',
      node,
      `\`${left.operator}\` binds tighter than \`^\` here (EXPR's table), so this is (${left.operator}x) ^ y; evalexpr would read ${left.operator}(x ^ y)`,
      'add parentheses to say which you mean',
      'warning',
    );
  }
  const chained =
    (COMPARISONS.has(node.operator) && left.kind === 'binary' && COMPARISONS.has(left.operator) && !left.parenthesized) ||
    ((node.operator === '==' || node.operator === '!=') && right.kind === 'binary' && COMPARISONS.has(right.operator) && !right.parenthesized);
  if (chained) {
    report(
      'AIO_BUILTIN_EXPR_PRECEDENCE',
      node,
      'chained comparison: EXPR and evalexpr group it differently',
      'add parentheses, or combine two comparisons with &&',
      'warning',
    );
  }
}
