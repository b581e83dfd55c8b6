import { finding, type Finding } from '../../diagnostics.js';
import { didYouMean } from '../../util/suggest.js';
import type { PipelineRule } from './rule.js';

/** Both ends of every connection name a node; `to` is a bare name; no node feeds itself. */
export const connectionEnds: PipelineRule = {
  id: 'connection-ends',
  codes: {
    AIO_PIPELINE_UNKNOWN_NODE: 'a connection names a node that does not exist',
    AIO_PIPELINE_SELF_LOOP: 'a connection leads from a node to itself',
  },
  check(manifest) {
    const names = new Set(manifest.nodes.map((n) => n.name));
    const out: Finding[] = [];
    const unknown = (name: string, where: string, pos: Parameters<typeof finding>[2], extra?: string): void => {
      out.push(
        finding(
          'error',
          'AIO_PIPELINE_UNKNOWN_NODE',
          pos,
          `${where} names node "${name}", which is not in nodes`,
          extra ?? didYouMean(name, names) ?? `nodes are: ${[...names].join(', ')}`,
        ),
      );
    };
    for (const c of manifest.connections) {
      const at = `nodeConnections[${c.index}]`;
      if (!names.has(c.from.node)) unknown(c.from.node, `${at}.from`, c.from.pos);
      if (c.to.name.includes('.')) {
        const node = c.to.name.slice(0, c.to.name.indexOf('.'));
        unknown(c.to.name, `${at}.to`, c.to.pos, names.has(node) ? `a connection enters a node by its bare name: write "${node}"` : undefined);
      } else if (!names.has(c.to.name)) unknown(c.to.name, `${at}.to`, c.to.pos);
      if (c.from.node === c.to.name) {
        out.push(
          finding(
            'error',
            'AIO_PIPELINE_SELF_LOOP',
            c.to.pos,
            `${at} leads from ${c.to.name} to itself`,
            'a data flow graph has no loops; remove the connection',
          ),
        );
      }
    }
    return out;
  },
};
