/** Why one item failed inside a module. The engine logs and counts these; the graph keeps running. */
import { formatTs, type Hlc } from './hlc.js';

export class OperatorFailure extends Error {
  constructor(
    /** `error`: the module returned its error result; `trap`: it crashed (panic, unreachable, bad return value). */
    readonly kind: 'error' | 'trap',
    readonly operation: string,
    readonly timestamp: Hlc | undefined,
    readonly detail: string,
  ) {
    const at = timestamp ? ` at item ${formatTs(timestamp)}` : '';
    super(`${operation}: ${kind === 'trap' ? 'module trapped' : 'module returned an error'}${at}: ${detail}`);
    this.name = 'OperatorFailure';
  }
}
