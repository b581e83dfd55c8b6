import { finding } from '../../diagnostics.js';
import { closingEdges } from '../../util/cycles.js';
import { adjacency } from '../model.js';
import type { GraphRule } from './rule.js';

/** Reports each cycle once, at the connection that closes it, with the whole loop spelled out. */
export const cycles: GraphRule = {
  id: 'cycles',
  codes: { AIO_GRAPH_CYCLE: 'connections form a loop' },
  check(graph) {
    const { outgoing } = adjacency(graph);
    const names = graph.operations.map((o) => o.name);
    return closingEdges(names, outgoing, (c) => c.to.name).map(({ edge, loop }) =>
      finding(
        'error',
        'AIO_GRAPH_CYCLE',
        edge.to.pos,
        `connections[${edge.index}] closes a loop: ${loop.join(' → ')}`,
        'data flow graphs are acyclic; remove one of the connections in the loop',
      ),
    );
  },
};
