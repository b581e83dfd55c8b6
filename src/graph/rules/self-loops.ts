import { finding } from '../../diagnostics.js';
import type { GraphRule } from './rule.js';

export const selfLoops: GraphRule = {
  id: 'self-loops',
  codes: { AIO_GRAPH_SELF_LOOP: 'a connection leads from an operation to itself' },
  check(graph) {
    return graph.connections
      .filter((c) => c.from.name === c.to.name)
      .map((c) =>
        finding(
          'error',
          'AIO_GRAPH_SELF_LOOP',
          c.to.pos,
          `connections[${c.index}] leads from "${c.from.name}" back to itself`,
          'graphs are acyclic; connect it to the next operation instead',
        ),
      );
  },
};
