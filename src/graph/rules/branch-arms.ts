import { finding, type Finding } from '../../diagnostics.js';
import { adjacency } from '../model.js';
import type { GraphRule } from './rule.js';

export const branchArms: GraphRule = {
  id: 'branch-arms',
  codes: {
    AIO_GRAPH_BRANCH_ARMS: 'a branch does not have exactly one "False" and one "True" arm',
    AIO_GRAPH_ARM_MISSING: 'a connection leaving a branch has no arm',
    AIO_GRAPH_ARM_OUTSIDE_BRANCH: 'a connection that does not leave a branch has an arm',
  },
  check(graph) {
    const { outgoing } = adjacency(graph);
    const typeOf = new Map(graph.operations.map((o) => [o.name, o.type]));
    const out: Finding[] = [];
    for (const o of graph.operations) {
      if (o.type !== 'branch') continue;
      const edges = outgoing.get(o.name) ?? [];
      const falses = edges.filter((c) => c.from.arm === 'False').length;
      const trues = edges.filter((c) => c.from.arm === 'True').length;
      for (const c of edges) {
        // A written but invalid arm was already reported by the schema check.
        if (c.from.arm === undefined && c.from.armPos === undefined) {
          out.push(
            finding(
              'error',
              'AIO_GRAPH_ARM_MISSING',
              c.from.pos,
              `connections[${c.index}] leaves branch "${o.name}" without an arm`,
              'add `arm: "False"` or `arm: "True"` under `from:`',
            ),
          );
        }
      }
      if (edges.length !== 2 || falses !== 1 || trues !== 1) {
        out.push(
          finding(
            'error',
            'AIO_GRAPH_BRANCH_ARMS',
            o.namePos,
            `branch "${o.name}" has ${edges.length} outgoing connection(s) with ${falses} "False" and ${trues} "True" arm(s); it needs exactly one of each`,
            'connect one operation with `arm: "False"` and one with `arm: "True"`',
          ),
        );
      }
    }
    for (const c of graph.connections) {
      if (c.from.armPos === undefined || c.from.arm === undefined) continue;
      const type = typeOf.get(c.from.name);
      if (type !== undefined && type !== 'branch') {
        out.push(
          finding(
            'error',
            'AIO_GRAPH_ARM_OUTSIDE_BRANCH',
            c.from.armPos,
            `connections[${c.index}] has an arm, but "${c.from.name}" is a ${type}, not a branch`,
            'remove the `arm:` line',
          ),
        );
      }
    }
    return out;
  },
};
