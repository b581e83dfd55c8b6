import { finding, type Finding } from '../../diagnostics.js';
import type { GraphRule } from './rule.js';

export const uniqueNames: GraphRule = {
  id: 'unique-names',
  codes: { AIO_GRAPH_DUPLICATE_OPERATION: 'two operations share a name' },
  check(graph) {
    const firstLine = new Map<string, number>();
    const out: Finding[] = [];
    for (const operation of graph.operations) {
      const first = firstLine.get(operation.name);
      if (first === undefined) {
        firstLine.set(operation.name, operation.namePos.line);
      } else {
        out.push(
          finding(
            'error',
            'AIO_GRAPH_DUPLICATE_OPERATION',
            operation.namePos,
            `operation "${operation.name}" is already defined on line ${first}`,
            'give each operation a unique name',
          ),
        );
      }
    }
    return out;
  },
};
