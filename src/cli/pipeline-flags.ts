import { Flags } from '@oclif/core';
import type { BuiltinOptions } from '../builtins/builtin-transform.js';

/**
 * Flags of every command that runs a DataflowGraph pipeline (`aio emulate`, `aio test`): where its custom Graph
 * nodes' graph definitions are, and the readings of what the AIO docs leave open (README: "Built-in transforms").
 */
export const pipelineFlags = {
  'graph-file': Flags.string({
    description: "a pipeline's custom Graph node: <artifact>=<graph definition> (repeatable; else aio.yaml's graphs, else --registry)",
    multiple: true,
    default: [],
  }),
  'map-overlap': Flags.option({
    options: ['copy', 'move'] as const,
    description: 'built-in map: a specific rule after a wildcard copies the field (copy, the docs’ map guide) or moves it (move)',
    default: 'copy' as const,
  })(),
  'window-limit': Flags.option({
    options: ['reached', 'full'] as const,
    description: 'built-in window count/memory: the message reaching the limit is the boundary (reached), or the one after a full window (full)',
    default: 'reached' as const,
  })(),
  'flush-windows': Flags.boolean({
    description: 'built-in window: emit the windows still open when input ends (the cluster would lose them)',
  }),
};

export function builtinOptionsOf(flags: { 'map-overlap': 'copy' | 'move'; 'window-limit': 'reached' | 'full'; 'flush-windows': boolean }): BuiltinOptions {
  return { mapOverlap: flags['map-overlap'], windowLimitReading: flags['window-limit'] === 'full' ? 'B' : 'A', flushWindowsAtEnd: flags['flush-windows'] };
}
