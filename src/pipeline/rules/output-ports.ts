import { finding, type Finding } from '../../diagnostics.js';
import { nodesByName } from '../model.js';
import { builtinOf, describeNode } from '../node-kinds.js';
import type { PipelineRule } from './rule.js';

const BRANCH_PORTS = ['output.true', 'output.false'];

/**
 * Output ports (§1.5): a built-in branch is left only through `<node>.output.true` / `.output.false`; sources and
 * the other built-ins have one output, named by the bare node; a WASM graph's `<node>.<sink>` names one of its
 * sinks, which only the graph definition knows, so it is accepted here.
 */
export const outputPorts: PipelineRule = {
  id: 'output-ports',
  codes: {
    AIO_PIPELINE_BRANCH_PORT_MISSING: 'a connection leaves a built-in branch by its bare name, without `.output.true`/`.output.false`',
    AIO_PIPELINE_UNKNOWN_PORT: 'a connection leaves a built-in branch through a port other than `output.true`/`output.false`',
    AIO_PIPELINE_PORT_ON_SINGLE_OUTPUT: 'a connection names a port on a node with a single output (source, map, filter, …)',
  },
  check(manifest) {
    const byName = nodesByName(manifest);
    const out: Finding[] = [];
    for (const c of manifest.connections) {
      const node = byName.get(c.from.node);
      if (node === undefined || node.nodeType === 'Destination') continue;
      const at = `nodeConnections[${c.index}].from.name`;
      const builtin = builtinOf(node);
      if (builtin === 'branch') {
        if (c.from.port === undefined) {
          out.push(
            finding(
              'error',
              'AIO_PIPELINE_BRANCH_PORT_MISSING',
              c.from.pos,
              `${at} leaves branch ${node.name} without saying which arm`,
              `write "${node.name}.output.true" or "${node.name}.output.false"`,
            ),
          );
        } else if (!BRANCH_PORTS.includes(c.from.port)) {
          out.push(
            finding(
              'error',
              'AIO_PIPELINE_UNKNOWN_PORT',
              c.from.pos,
              `${at}: branch ${node.name} has no output "${c.from.port}"`,
              `a branch's outputs are ${BRANCH_PORTS.map((p) => `${node.name}.${p}`).join(' and ')}`,
            ),
          );
        }
      } else if (c.from.port !== undefined && (node.nodeType === 'Source' || builtin !== undefined)) {
        out.push(
          finding(
            'error',
            'AIO_PIPELINE_PORT_ON_SINGLE_OUTPUT',
            c.from.pos,
            `${at} names port "${c.from.port}" of ${node.name}, a ${describeNode(node)} with a single output`,
            `write "${node.name}"`,
          ),
        );
      }
    }
    return out;
  },
};
