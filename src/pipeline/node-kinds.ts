import { BUILTIN_NAMES, BUILTIN_REPOSITORY_PREFIX, type BuiltinName } from '../builtins/builtin-transform.js';
import type { PipelineNode } from './model.js';

/**
 * Which built-in transform a Graph node runs, if any (spec §2.1): its artifact's repository is one of the six
 * `azureiotoperations/graph-dataflow-*` names. Any other artifact is a WASM graph definition.
 */
export function builtinOf(node: PipelineNode): BuiltinName | undefined {
  if (node.nodeType !== 'Graph' || node.artifact === undefined) return undefined;
  const artifact = node.artifact.value;
  if (!artifact.startsWith(BUILTIN_REPOSITORY_PREFIX)) return undefined;
  const name = artifact.slice(BUILTIN_REPOSITORY_PREFIX.length).split(':')[0];
  return BUILTIN_NAMES.find((b) => b === name);
}

/** What a node is, for messages and drawings: `Source`, `Destination`, `map (built-in)`, `WASM graph`. */
export function describeNode(node: PipelineNode): string {
  if (node.nodeType !== 'Graph') return node.nodeType;
  const builtin = builtinOf(node);
  return builtin === undefined ? 'WASM graph' : `built-in ${builtin}`;
}
