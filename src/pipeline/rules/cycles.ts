import { finding } from '../../diagnostics.js';
import { closingEdges } from '../../util/cycles.js';
import { pipelineAdjacency } from '../edges.js';
import type { PipelineRule } from './rule.js';

/** Reports each loop once, at the connection that closes it, with the whole loop spelled out (§1.6: no cycles). */
export const cycles: PipelineRule = {
  id: 'cycles',
  codes: { AIO_PIPELINE_CYCLE: 'connections form a loop' },
  check(manifest) {
    const { outgoing } = pipelineAdjacency(manifest);
    return closingEdges(
      manifest.nodes.map((n) => n.name),
      outgoing,
      (c) => c.to.name,
    ).map(({ edge, loop }) =>
      finding(
        'error',
        'AIO_PIPELINE_CYCLE',
        edge.to.pos,
        `nodeConnections[${edge.index}] closes a loop: ${loop.join(' → ')}`,
        'a data flow graph is acyclic; remove one of the connections in the loop',
      ),
    );
  },
};
