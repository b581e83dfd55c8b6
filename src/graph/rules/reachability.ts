import { finding, type Finding } from '../../diagnostics.js';
import { adjacency, type Graph, type OperationType } from '../model.js';
import type { GraphRule } from './rule.js';

export const reachability: GraphRule = {
  id: 'reachability',
  codes: {
    AIO_GRAPH_UNREACHABLE: 'no data from a source reaches this operation',
    AIO_GRAPH_DEAD_END: 'data leaving this operation never reaches a sink',
  },
  check(graph) {
    const { outgoing, incoming } = adjacency(graph);
    const out: Finding[] = [];
    const hasType = (type: OperationType): boolean => graph.operations.some((o) => o.type === type);
    // A connection to a misspelt name breaks every path through it; connection-ends reports the one real mistake.
    const names = new Set(graph.operations.map((o) => o.name));
    if (graph.connections.some((c) => !names.has(c.from.name) || !names.has(c.to.name))) return out;
    // Without a source (or sink) every operation would be reported; the missing source is the one finding to show.
    if (hasType('source')) {
      const reached = walk(graph, 'source', (name) => (outgoing.get(name) ?? []).map((c) => c.to.name));
      for (const o of graph.operations) {
        if (o.type === 'source' || reached.has(o.name)) continue;
        out.push(
          finding(
            'error',
            'AIO_GRAPH_UNREACHABLE',
            o.namePos,
            `operation "${o.name}" is not reachable from a source`,
            'connect it to the source or to an operation upstream, or remove it',
          ),
        );
      }
    }
    if (hasType('sink')) {
      const reaches = walk(graph, 'sink', (name) => (incoming.get(name) ?? []).map((c) => c.from.name));
      for (const o of graph.operations) {
        if (o.type === 'sink' || reaches.has(o.name)) continue;
        out.push(
          finding(
            'error',
            'AIO_GRAPH_DEAD_END',
            o.namePos,
            `output of operation "${o.name}" never reaches a sink`,
            'connect it to the sink or to an operation downstream, or remove it',
          ),
        );
      }
    }
    return out;
  },
};

function walk(graph: Graph, from: OperationType, next: (name: string) => string[]): Set<string> {
  const seen = new Set(graph.operations.filter((o) => o.type === from).map((o) => o.name));
  const queue = [...seen];
  while (queue.length > 0) {
    for (const name of next(queue.pop()!)) {
      if (seen.has(name)) continue;
      seen.add(name);
      queue.push(name);
    }
  }
  return seen;
}
