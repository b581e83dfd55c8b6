import { finding, type Finding } from '../../diagnostics.js';
import { didYouMean } from '../../util/suggest.js';
import type { GraphRule } from './rule.js';

export const connectionEnds: GraphRule = {
  id: 'connection-ends',
  codes: { AIO_GRAPH_UNKNOWN_OPERATION: 'a connection names an operation that does not exist' },
  check(graph) {
    const names = new Set(graph.operations.map((o) => o.name));
    const out: Finding[] = [];
    for (const connection of graph.connections) {
      for (const [side, end] of [
        ['from', connection.from],
        ['to', connection.to],
      ] as const) {
        if (names.has(end.name)) continue;
        out.push(
          finding(
            'error',
            'AIO_GRAPH_UNKNOWN_OPERATION',
            end.pos,
            `connections[${connection.index}].${side} names "${end.name}", which is not an operation`,
            didYouMean(end.name, names) ?? 'add the operation under operations:, or fix the name',
          ),
        );
      }
    }
    return out;
  },
};
