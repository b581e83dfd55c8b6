import { finding, type Finding } from '../../diagnostics.js';
import type { PipelineRule } from './rule.js';

const ACTION_TYPES = ['AddIfNotPresent', 'AddOrReplace', 'Remove'];

/**
 * Destination header actions (§1.7.3): a known `actionType`. The TypeSpec marks `actionType` as the list's
 * identifier, which would forbid two actions of one type, yet its own example repeats none and nothing says
 * why one would; repeats are allowed with a warning.
 */
export const headerActions: PipelineRule = {
  id: 'header-actions',
  codes: {
    AIO_PIPELINE_HEADER_ACTION: 'a header `actionType` is not `AddIfNotPresent`, `AddOrReplace` or `Remove`',
    AIO_PIPELINE_HEADER_ACTION_REPEATED: 'two header actions of a destination share an `actionType` (the TypeSpec keys the list by it)',
  },
  check(manifest) {
    const out: Finding[] = [];
    for (const node of manifest.nodes) {
      if (node.nodeType !== 'Destination' || node.headers === undefined) continue;
      const seen = new Set<string>();
      for (const action of node.headers.actions) {
        const type = action.actionType;
        if (type === undefined) continue;
        if (!ACTION_TYPES.includes(type.value)) {
          out.push(
            finding(
              'error',
              'AIO_PIPELINE_HEADER_ACTION',
              type.pos,
              `destination ${node.name}: header actionType "${type.value}" is unknown`,
              `use one of ${ACTION_TYPES.join(', ')}`,
            ),
          );
        } else if (seen.has(type.value)) {
          out.push(
            finding(
              'warning',
              'AIO_PIPELINE_HEADER_ACTION_REPEATED',
              type.pos,
              `destination ${node.name} has a second ${type.value} header action`,
              'Azure may reject repeated action types; aio applies them in list order',
            ),
          );
        }
        seen.add(type.value);
      }
    }
    return out;
  },
};
