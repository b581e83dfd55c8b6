/**
 * The per-node what-if of a DataflowGraph: the node list the service holds against the one about to be applied.
 * ARM's what-if and Kubernetes' dry run say only that the resource changes; a pipeline's reviewer needs to see
 * which node (the thermostat's configuration, the destination's topic) and that the others stay as they are.
 */
import { isDeepStrictEqual } from 'node:util';

export type NodeChangeType = 'added' | 'changed' | 'unchanged' | 'removed';

export interface NodeChange {
  node: string;
  change: NodeChangeType;
}

/** Desired nodes in their order, then the nodes only the current resource has; `current` undefined: none yet. */
export function nodeChanges(current: Record<string, unknown> | undefined, desired: Record<string, unknown> | undefined): NodeChange[] {
  const before = nodesByName(current);
  const after = nodesByName(desired);
  const changes: NodeChange[] = [...after].map(([node, wanted]) => {
    const held = before.get(node);
    return { node, change: held === undefined ? 'added' : isDeepStrictEqual(held, wanted) ? 'unchanged' : 'changed' };
  });
  for (const node of before.keys()) if (!after.has(node)) changes.push({ node, change: 'removed' });
  return changes;
}

/** Lines for the terminal: `  changed   thermostat`. */
export function formatNodeChanges(graphName: string, changes: readonly NodeChange[]): string {
  return [`nodes of ${graphName}:`, ...changes.map((c) => `  ${c.change.padEnd(9)} ${c.node}`)].join('\n');
}

function nodesByName(properties: Record<string, unknown> | undefined): Map<string, unknown> {
  const nodes = (properties?.['nodes'] ?? []) as Array<Record<string, unknown>>;
  // A round trip through JSON drops the undefined members a rendered node may carry and the server never stores.
  return new Map(nodes.map((n) => [String(n['name']), JSON.parse(JSON.stringify(n)) as unknown]));
}
