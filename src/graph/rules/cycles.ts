import { finding, type Finding } from '../../diagnostics.js';
import { adjacency, type Connection } from '../model.js';
import type { GraphRule } from './rule.js';

/** Reports each cycle once, at the connection that closes it, with the whole loop spelled out. */
export const cycles: GraphRule = {
  id: 'cycles',
  codes: { AIO_GRAPH_CYCLE: 'connections form a loop' },
  check(graph) {
    const { outgoing } = adjacency(graph);
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const out: Finding[] = [];

    // Iterative depth-first search: a hostile graph with thousands of chained operations must not overflow the stack.
    const explore = (start: string): void => {
      const frames: Array<{ node: string; edges: Connection[]; next: number }> = [];
      const enter = (node: string): void => {
        state.set(node, 'open');
        stack.push(node);
        frames.push({ node, edges: (outgoing.get(node) ?? []).filter((c) => c.to.name !== node), next: 0 });
      };
      enter(start);
      while (frames.length > 0) {
        const frame = frames[frames.length - 1]!;
        const edge = frame.edges[frame.next++];
        if (edge === undefined) {
          state.set(frame.node, 'done');
          stack.pop();
          frames.pop();
          continue;
        }
        const target = edge.to.name;
        const seen = state.get(target);
        if (seen === undefined) {
          enter(target);
        } else if (seen === 'open') {
          const loop = [...stack.slice(stack.indexOf(target)), target];
          out.push(
            finding(
              'error',
              'AIO_GRAPH_CYCLE',
              edge.to.pos,
              `connections[${edge.index}] closes a loop: ${loop.join(' → ')}`,
              'data flow graphs are acyclic; remove one of the connections in the loop',
            ),
          );
        }
      }
    };

    for (const operation of graph.operations) if (!state.has(operation.name)) explore(operation.name);
    return out;
  },
};
