import { finding, type Finding } from '../../diagnostics.js';
import { MODULE_OPERATION_TYPES } from '../model.js';
import type { GraphRule } from './rule.js';

export const modulePresence: GraphRule = {
  id: 'module-presence',
  codes: {
    AIO_GRAPH_MODULE_MISSING: 'a map, filter, branch, accumulate or delay operation names no module',
    AIO_GRAPH_MODULE_FORBIDDEN: 'a source, sink or concatenate operation names a module',
  },
  check(graph) {
    const out: Finding[] = [];
    for (const o of graph.operations) {
      if (o.type === undefined) continue;
      const needsModule = MODULE_OPERATION_TYPES.has(o.type);
      if (needsModule && o.module === undefined) {
        out.push(
          finding(
            'error',
            'AIO_GRAPH_MODULE_MISSING',
            o.modulePos ?? o.typePos,
            `${o.type} operation "${o.name}" needs a module`,
            'add `module: <name>:<version>` naming the WebAssembly module that implements it',
          ),
        );
      } else if (!needsModule && o.module !== undefined) {
        out.push(
          finding(
            'error',
            'AIO_GRAPH_MODULE_FORBIDDEN',
            o.modulePos ?? o.pos,
            `${o.type} operation "${o.name}" is built in and takes no module`,
            'remove the `module:` line',
          ),
        );
      }
    }
    return out;
  },
};
