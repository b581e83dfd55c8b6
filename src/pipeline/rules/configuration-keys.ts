import { finding, type Finding } from '../../diagnostics.js';
import { NODE_NAME } from './node-names.js';
import type { PipelineRule } from './rule.js';

/** Configuration keys follow the node-name characters and are unique per node (TypeSpec `@identifiers(["key"])`). */
export const configurationKeys: PipelineRule = {
  id: 'configuration-keys',
  codes: {
    AIO_PIPELINE_CONFIG_KEY: 'a configuration key holds characters other than letters, digits, `_` and `-`',
    AIO_PIPELINE_DUPLICATE_CONFIG_KEY: 'a Graph node lists the same configuration key twice',
  },
  check(manifest) {
    const out: Finding[] = [];
    for (const node of manifest.nodes) {
      if (node.nodeType !== 'Graph') continue;
      const seen = new Set<string>();
      for (const entry of node.configuration) {
        if (!NODE_NAME.test(entry.key)) {
          out.push(
            finding(
              'error',
              'AIO_PIPELINE_CONFIG_KEY',
              entry.keyPos,
              `configuration key "${entry.key}" of node ${node.name} may hold only letters, digits, _ and -`,
              `rename it, e.g. "${entry.key.replace(/[^A-Za-z0-9_-]+/g, '_')}", and the parameter the graph reads`,
            ),
          );
        }
        if (seen.has(entry.key)) {
          out.push(
            finding(
              'error',
              'AIO_PIPELINE_DUPLICATE_CONFIG_KEY',
              entry.keyPos,
              `node ${node.name} lists configuration key "${entry.key}" twice`,
              'keep one entry per key',
            ),
          );
        }
        seen.add(entry.key);
      }
    }
    return out;
  },
};
