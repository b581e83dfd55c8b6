import { finding, type Finding } from '../../diagnostics.js';
import type { GraphRule } from './rule.js';

export const requiredParameters: GraphRule = {
  id: 'required-parameters',
  codes: { AIO_GRAPH_PARAMETER_REQUIRED: 'a required parameter has no default; deployment must supply it (info)' },
  check(graph) {
    const out: Finding[] = [];
    for (const config of graph.moduleConfigurations) {
      for (const p of config.parameters) {
        if (!p.required || p.default !== undefined) continue;
        out.push(
          finding(
            'info',
            'AIO_GRAPH_PARAMETER_REQUIRED',
            p.pos,
            `parameter "${p.name}" of "${config.name}" is required and has no default; each deployment must supply it`,
            `set it in the environment's configuration; when emulating, pass --param ${config.name}.${p.name}=<value>`,
          ),
        );
      }
    }
    return out;
  },
};
