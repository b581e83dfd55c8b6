import { finding, type Finding } from '../../diagnostics.js';
import { nodesByName } from '../model.js';
import type { PipelineRule } from './rule.js';

/** Only Source→Graph, Source→Destination, Graph→Graph and Graph→Destination edges exist (§1.6). */
export const edgeKinds: PipelineRule = {
  id: 'edge-kinds',
  codes: { AIO_PIPELINE_EDGE_KIND: 'a connection enters a Source or leaves a Destination' },
  check(manifest) {
    const byName = nodesByName(manifest);
    const out: Finding[] = [];
    for (const c of manifest.connections) {
      const from = byName.get(c.from.node);
      const to = byName.get(c.to.name);
      if (from === undefined || to === undefined || from === to) continue;
      const hint = 'allowed: Source → Graph, Source → Destination, Graph → Graph, Graph → Destination';
      if (from.nodeType === 'Destination') {
        out.push(
          finding(
            'error',
            'AIO_PIPELINE_EDGE_KIND',
            c.from.pos,
            `nodeConnections[${c.index}] leaves destination ${from.name}; a destination publishes and has no output`,
            hint,
          ),
        );
      } else if (to.nodeType === 'Source') {
        out.push(
          finding(
            'error',
            'AIO_PIPELINE_EDGE_KIND',
            c.to.pos,
            `nodeConnections[${c.index}] enters source ${to.name}; a source reads its topics and takes no input`,
            hint,
          ),
        );
      }
    }
    return out;
  },
};
