import { adjacency, type Graph, type Operation } from './model.js';

/**
 * Operations in topological order (every operation after all of its inputs), ties broken by file order so the
 * result reads like the file. Operations caught in a cycle (only possible in an invalid graph) come last.
 */
export function topologicalOrder(graph: Graph): Operation[] {
  const { incoming, outgoing } = adjacency(graph);
  const known = new Set(graph.operations.map((o) => o.name));
  const remaining = new Map<string, number>();
  for (const o of graph.operations) {
    remaining.set(o.name, (incoming.get(o.name) ?? []).filter((c) => known.has(c.from.name) && c.from.name !== o.name).length);
  }
  const indexOf = new Map(graph.operations.map((o, i) => [o.name, i]));
  const ready = graph.operations.filter((o) => remaining.get(o.name) === 0);
  const order: Operation[] = [];
  const placed = new Set<string>();
  while (ready.length > 0) {
    ready.sort((a, b) => indexOf.get(a.name)! - indexOf.get(b.name)!);
    const next = ready.shift()!;
    if (placed.has(next.name)) continue;
    placed.add(next.name);
    order.push(next);
    for (const c of outgoing.get(next.name) ?? []) {
      if (c.to.name === next.name || !known.has(c.to.name)) continue;
      const left = remaining.get(c.to.name)! - 1;
      remaining.set(c.to.name, left);
      if (left === 0) ready.push(graph.operations[indexOf.get(c.to.name)!]!);
    }
  }
  for (const o of graph.operations) if (!placed.has(o.name)) order.push(o);
  return order;
}
