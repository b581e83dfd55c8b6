import { finding } from '../../diagnostics.js';
import type { GraphRule } from './rule.js';

export const placeholders: GraphRule = {
  id: 'placeholders',
  codes: { AIO_GRAPH_PLACEHOLDER: 'a value holds a ${VAR} placeholder that must be filled before push (info)' },
  check(graph) {
    return graph.placeholders.map((p) =>
      finding(
        'info',
        'AIO_GRAPH_PLACEHOLDER',
        p.pos,
        `${p.path} holds the placeholder \${${p.variable}}`,
        `it is filled from the environment variable ${p.variable} when the graph is pushed`,
      ),
    );
  },
};
