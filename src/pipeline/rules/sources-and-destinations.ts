import { finding, type Finding } from '../../diagnostics.js';
import type { PipelineRule } from './rule.js';

/** Data enters through a Source and leaves through a Destination: without either, the graph moves nothing. */
export const sourcesAndDestinations: PipelineRule = {
  id: 'sources-and-destinations',
  codes: {
    AIO_PIPELINE_NO_SOURCE: 'the graph has no Source node',
    AIO_PIPELINE_NO_DESTINATION: 'the graph has no Destination node',
  },
  check(manifest) {
    const out: Finding[] = [];
    if (!manifest.nodes.some((n) => n.nodeType === 'Source')) {
      out.push(
        finding(
          'error',
          'AIO_PIPELINE_NO_SOURCE',
          manifest.pos,
          'the graph has no Source node; no data enters it',
          'add a node with nodeType: Source and its sourceSettings',
        ),
      );
    }
    if (!manifest.nodes.some((n) => n.nodeType === 'Destination')) {
      out.push(
        finding(
          'error',
          'AIO_PIPELINE_NO_DESTINATION',
          manifest.pos,
          'the graph has no Destination node; its results go nowhere',
          'add a node with nodeType: Destination and its destinationSettings',
        ),
      );
    }
    return out;
  },
};
