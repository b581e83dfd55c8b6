import { BUILTIN_NAMES, type BuiltinName } from '../builtins/builtin-transform.js';
import { parseBuiltinArtifact } from '../builtins/transforms/index.js';
import type { PipelineNode } from './model.js';

/**
 * Which built-in transform a Graph node runs, if any (spec §2.1): its artifact's repository is one of the six
 * `azureiotoperations/graph-dataflow-*` names. Any other artifact is a WASM graph definition.
 */
export function builtinOf(node: PipelineNode): BuiltinName | undefined {
  if (node.nodeType !== 'Graph' || node.artifact === undefined) return undefined;
  const name = parseBuiltinArtifact(node.artifact.value)?.name;
  return BUILTIN_NAMES.find((b) => b === name);
}

/** What a node is, for messages and drawings: `Source`, `Destination`, `built-in map`, `WASM graph`. */
export function describeNode(node: PipelineNode): string {
  if (node.nodeType !== 'Graph') return node.nodeType;
  const builtin = builtinOf(node);
  return builtin === undefined ? 'WASM graph' : `built-in ${builtin}`;
}

/** A node's settings worth showing, as plain fields: artifact for Graph nodes, endpoint and topics for the others. */
export function nodeDetailFields(node: PipelineNode): { artifact?: string; endpoint?: string; topics?: string[] } {
  if (node.nodeType === 'Graph') return node.artifact === undefined ? {} : { artifact: node.artifact.value };
  const topics = node.nodeType === 'Source' ? node.dataSources.map((s) => s.value) : node.dataDestination === undefined ? [] : [node.dataDestination.value];
  return { ...(node.endpointRef === undefined ? {} : { endpoint: node.endpointRef.value }), topics };
}
