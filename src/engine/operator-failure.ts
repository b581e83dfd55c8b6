/** Why one item failed inside a module. The engine logs and counts these; the graph keeps running. */
import { formatTs, type Hlc } from './hlc.js';

const WHAT_HAPPENED = {
  error: 'module returned an error',
  trap: 'module trapped',
  deadline: 'module call ran past its deadline',
  rule: 'a rule failed',
} as const;

export class OperatorFailure extends Error {
  constructor(
    /**
     * `error`: the module returned its error result; `trap`: it crashed (panic, unreachable, out of memory, bad
     * return value); `deadline`: it did not return in time and its instance was stopped; `rule`: a built-in
     * transform's rule failed on the item (a type error, a missing field, an aggregation over nothing).
     */
    readonly kind: 'error' | 'trap' | 'deadline' | 'rule',
    readonly operation: string,
    readonly timestamp: Hlc | undefined,
    readonly detail: string,
  ) {
    const at = timestamp ? ` at item ${formatTs(timestamp)}` : '';
    super(`${operation}: ${WHAT_HAPPENED[kind]}${at}: ${detail}`);
    this.name = 'OperatorFailure';
  }
}
