import { finding, type Finding } from '../../diagnostics.js';
import type { Located, SourceNode } from '../model.js';
import type { PipelineRule } from './rule.js';

/**
 * A destination publishing into a topic its own graph reads, on the same endpoint, feeds the graph its output
 * forever (§1.6.4). A static topic inside a source filter is an error; a `${outputTopic}` template that could land
 * there is a warning, since it depends on the data.
 */
export const topicLoops: PipelineRule = {
  id: 'topic-loops',
  codes: {
    AIO_PIPELINE_TOPIC_LOOP: 'a destination publishes to a topic a source of the same endpoint reads (the graph would feed itself)',
    AIO_PIPELINE_TOPIC_MAY_LOOP: 'a templated destination topic can land in a topic a source of the same endpoint reads',
  },
  check(manifest) {
    const out: Finding[] = [];
    const sources = manifest.nodes.filter((n): n is SourceNode => n.nodeType === 'Source');
    for (const destination of manifest.nodes) {
      if (destination.nodeType !== 'Destination' || destination.dataDestination === undefined || destination.endpointRef === undefined) continue;
      const topic = destination.dataDestination;
      const templated = topic.value.includes('${');
      const asFilter = templated ? templateAsFilter(topic.value) : topic.value;
      for (const source of sources) {
        if (source.endpointRef?.value !== destination.endpointRef.value) continue;
        const hit = source.dataSources.find((f: Located<string>) => filtersOverlap(withoutShare(f.value), asFilter));
        if (hit === undefined) continue;
        out.push(
          finding(
            templated ? 'warning' : 'error',
            templated ? 'AIO_PIPELINE_TOPIC_MAY_LOOP' : 'AIO_PIPELINE_TOPIC_LOOP',
            topic.pos,
            `destination ${destination.name} ${templated ? 'can publish' : 'publishes'} to "${topic.value}" on endpoint ${destination.endpointRef.value}, which source ${source.name} reads through "${hit.value}"`,
            'publish to a topic outside the source filters, or the graph reads its own output',
          ),
        );
      }
    }
    return out;
  },
};

/** `$share/<group>/<filter>` (and the docs' `$shared/`) subscribe to `<filter>`. */
function withoutShare(filter: string): string {
  return /^\$shared?\//.test(filter) ? filter.split('/').slice(2).join('/') : filter;
}

/** `factory/${outputTopic}` can be any topic under `factory/`; `${outputTopic.2}` is one level. */
function templateAsFilter(template: string): string {
  const levels: string[] = [];
  for (const level of template.split('/')) {
    if (/\$\{outputTopic\}|\$\{inputTopic\}/.test(level)) return [...levels, '#'].join('/');
    levels.push(/\$\{\w+\.\d+\}/.test(level) ? '+' : level);
  }
  return levels.join('/');
}

/** Whether some topic matches both filters. */
function filtersOverlap(a: string, b: string): boolean {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === '#' || y[i] === '#') return true;
    if (x[i] === undefined || y[i] === undefined) return false;
    if (x[i] !== '+' && y[i] !== '+' && x[i] !== y[i]) return false;
  }
  return true;
}
