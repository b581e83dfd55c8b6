import type { Manifest, PipelineConnection } from './model.js';

/** Connections by the node they leave and the node they enter, for the rules that walk the pipeline. */
export function pipelineAdjacency(manifest: Manifest): { outgoing: Map<string, PipelineConnection[]>; incoming: Map<string, PipelineConnection[]> } {
  const outgoing = new Map<string, PipelineConnection[]>();
  const incoming = new Map<string, PipelineConnection[]>();
  for (const c of manifest.connections) {
    outgoing.set(c.from.node, [...(outgoing.get(c.from.node) ?? []), c]);
    incoming.set(c.to.name, [...(incoming.get(c.to.name) ?? []), c]);
  }
  return { outgoing, incoming };
}

/**
 * The nodes reachable from `starts` along connections, not going past a node for which `stop` holds (that node is
 * itself included). Iterative: a hostile manifest with thousands of chained nodes must not overflow the stack.
 */
export function reachableFrom(manifest: Manifest, starts: readonly string[], stop: (name: string) => boolean = () => false): Set<string> {
  const { outgoing } = pipelineAdjacency(manifest);
  const seen = new Set<string>(starts);
  const queue = [...starts];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (stop(name)) continue;
    for (const c of outgoing.get(name) ?? []) {
      if (seen.has(c.to.name)) continue;
      seen.add(c.to.name);
      queue.push(c.to.name);
    }
  }
  return seen;
}
