import { finding, type Finding } from '../../diagnostics.js';
import { adjacency } from '../model.js';
import type { GraphRule } from './rule.js';

export const singleInput: GraphRule = {
  id: 'single-input',
  codes: {
    AIO_GRAPH_MULTIPLE_INPUTS: 'an operation other than concatenate has more than one input',
    AIO_GRAPH_CONCATENATE_ONE_INPUT: 'a concatenate has fewer than two inputs (warning)',
  },
  check(graph) {
    const { incoming } = adjacency(graph);
    const out: Finding[] = [];
    for (const o of graph.operations) {
      const inputs = incoming.get(o.name) ?? [];
      if (o.type === 'concatenate') {
        if (inputs.length === 1) {
          out.push(
            finding(
              'warning',
              'AIO_GRAPH_CONCATENATE_ONE_INPUT',
              o.namePos,
              `concatenate "${o.name}" has only one input and merges nothing`,
              'connect a second input or remove the concatenate',
            ),
          );
        }
        continue;
      }
      if (inputs.length > 1 && o.type !== 'source') {
        const from = inputs.map((c) => `"${c.from.name}" (line ${c.from.pos.line})`).join(', ');
        out.push(
          finding(
            'error',
            'AIO_GRAPH_MULTIPLE_INPUTS',
            o.namePos,
            `operation "${o.name}" has ${inputs.length} inputs: ${from}; only a concatenate takes more than one`,
            'connect the inputs to a concatenate operation and the concatenate to this operation',
          ),
        );
      }
    }
    return out;
  },
};
