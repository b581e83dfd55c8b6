import { finding, type Finding } from '../../diagnostics.js';
import { reachableFrom } from '../edges.js';
import { nodesByName, type PipelineNode } from '../model.js';
import { builtinOf } from '../node-kinds.js';
import type { PipelineRule } from './rule.js';

/**
 * Destination topics (§1.7.1): no `+`/`#` (one publishes to a topic, not a filter); `${outputTopic}` resolves only
 * from a `$metadata.topic` a transform wrote, so a path from a source that passes no such map drops every message.
 */
export const destinationTopics: PipelineRule = {
  id: 'destination-topics',
  codes: {
    AIO_PIPELINE_DESTINATION_WILDCARD: 'a destination topic holds `+` or `#`',
    AIO_PIPELINE_OUTPUT_TOPIC_UNSET: '`${outputTopic}` is used where some path from a source passes no map writing `$metadata.topic`',
  },
  check(manifest) {
    const out: Finding[] = [];
    const byName = nodesByName(manifest);
    // Nodes a message can reach with its topic never written: stop at maps that write it, and at WASM graphs,
    // whose modules may set the topic themselves.
    const sources = manifest.nodes.filter((n) => n.nodeType === 'Source').map((n) => n.name);
    const unwritten = reachableFrom(manifest, sources, (name) => {
      const node = byName.get(name);
      return node !== undefined && (writesTopic(node) || (node.nodeType === 'Graph' && builtinOf(node) === undefined));
    });
    for (const node of manifest.nodes) {
      if (node.nodeType !== 'Destination' || node.dataDestination === undefined) continue;
      const topic = node.dataDestination;
      const wildcard = /[+#]/.exec(topic.value);
      if (wildcard !== null) {
        out.push(
          finding(
            'error',
            'AIO_PIPELINE_DESTINATION_WILDCARD',
            topic.pos,
            `destination ${node.name} publishes to "${topic.value}", which holds the wildcard "${wildcard[0]}"`,
            'a destination topic is one topic; route by content with a map writing $metadata.topic and "${outputTopic}"',
          ),
        );
      }
      if (topic.value.includes('${outputTopic') && unwritten.has(node.name)) {
        out.push(
          finding(
            'warning',
            'AIO_PIPELINE_OUTPUT_TOPIC_UNSET',
            topic.pos,
            `destination ${node.name} publishes to "${topic.value}", but a path from a source reaches it through no map writing $metadata.topic; those messages are dropped`,
            'add a map rule with "output": "$metadata.topic" on every path to this destination',
          ),
        );
      }
    }
    return out;
  },
};

/** A built-in map with a rule whose output is `$metadata.topic`. Unparsable rules are the built-in check's to report. */
function writesTopic(node: PipelineNode): boolean {
  if (node.nodeType !== 'Graph' || builtinOf(node) !== 'map') return false;
  const rules = node.configuration.find((c) => c.key === 'rules');
  if (rules === undefined) return false;
  try {
    const parsed = JSON.parse(rules.value) as { map?: Array<{ output?: unknown }> };
    return Array.isArray(parsed.map) && parsed.map.some((rule) => rule?.output === '$metadata.topic');
  } catch {
    return false;
  }
}
