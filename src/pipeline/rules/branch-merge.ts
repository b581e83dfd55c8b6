import { finding, type Finding } from '../../diagnostics.js';
import { reachableFrom } from '../edges.js';
import { nodesByName } from '../model.js';
import { builtinOf } from '../node-kinds.js';
import type { PipelineRule } from './rule.js';

/**
 * FILTER-ROUTE says every branch arm is re-joined by a concatenate before a destination; the TypeSpec example
 * routes to several destinations anyway (§1.6.7). Allowed, with a warning on the arm that reaches a destination
 * without passing a concatenate.
 */
export const branchMerge: PipelineRule = {
  id: 'branch-merge',
  codes: { AIO_PIPELINE_BRANCH_UNMERGED: 'a branch arm reaches a destination without passing a concatenate' },
  check(manifest) {
    const byName = nodesByName(manifest);
    const isConcatenate = (name: string): boolean => {
      const node = byName.get(name);
      return node !== undefined && builtinOf(node) === 'concatenate';
    };
    const out: Finding[] = [];
    for (const c of manifest.connections) {
      const from = byName.get(c.from.node);
      if (from === undefined || builtinOf(from) !== 'branch' || c.from.port === undefined || c.to.name === from.name) continue;
      const reached = [...reachableFrom(manifest, [c.to.name], isConcatenate)].filter((name) => byName.get(name)?.nodeType === 'Destination');
      if (reached.length === 0) continue;
      out.push(
        finding(
          'warning',
          'AIO_PIPELINE_BRANCH_UNMERGED',
          c.from.pos,
          `arm ${c.from.port} of branch ${from.name} reaches destination ${reached.join(', ')} without passing a concatenate`,
          'the docs join both arms with a graph-dataflow-concatenate node before the destination; route by topic with a map writing $metadata.topic instead',
        ),
      );
    }
    return out;
  },
};
