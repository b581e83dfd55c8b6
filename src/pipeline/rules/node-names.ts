import { finding, type Finding } from '../../diagnostics.js';
import type { PipelineRule } from './rule.js';

/** Node names use letters, digits, `_` and `-` (WASM "Naming rules"); the dot is what starts an output port. */
export const NODE_NAME = /^[A-Za-z0-9_-]+$/;

export const nodeNames: PipelineRule = {
  id: 'node-names',
  codes: {
    AIO_PIPELINE_DUPLICATE_NODE: 'two nodes share a name',
    AIO_PIPELINE_NODE_NAME: 'a node name holds characters other than letters, digits, `_` and `-`',
  },
  check(manifest) {
    const out: Finding[] = [];
    const first = new Map<string, number>();
    for (const node of manifest.nodes) {
      if (!NODE_NAME.test(node.name)) {
        const dot = node.name.includes('.') ? '; a dot in a connection starts an output port, so it cannot be part of a name' : '';
        out.push(
          finding(
            'error',
            'AIO_PIPELINE_NODE_NAME',
            node.namePos,
            `nodes[${node.index}].name "${node.name}" may hold only letters, digits, _ and -${dot}`,
            'rename the node and its connections',
          ),
        );
      }
      const earlier = first.get(node.name);
      if (earlier === undefined) first.set(node.name, node.index);
      else {
        out.push(
          finding(
            'error',
            'AIO_PIPELINE_DUPLICATE_NODE',
            node.namePos,
            `nodes[${node.index}] is named "${node.name}", as nodes[${earlier}] is`,
            'node names are unique in a graph; rename one',
          ),
        );
      }
    }
    return out;
  },
};
