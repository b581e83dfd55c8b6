import { finding, type Finding } from '../../diagnostics.js';
import { didYouMean } from '../../util/suggest.js';
import type { GraphRule } from './rule.js';

export const moduleConfigurations: GraphRule = {
  id: 'module-configurations',
  codes: {
    AIO_GRAPH_CONFIG_UNKNOWN_OPERATION: 'a moduleConfigurations entry names no operation (warning)',
    AIO_GRAPH_CONFIG_DUPLICATE: 'two moduleConfigurations entries name the same operation (warning)',
  },
  check(graph) {
    const names = new Set(graph.operations.map((o) => o.name));
    const seen = new Map<string, number>();
    const out: Finding[] = [];
    for (const config of graph.moduleConfigurations) {
      if (!names.has(config.name)) {
        out.push(
          finding(
            'warning',
            'AIO_GRAPH_CONFIG_UNKNOWN_OPERATION',
            config.namePos,
            `moduleConfigurations entry "${config.name}" names no operation, so its parameters reach no module`,
            didYouMean(config.name, names) ?? "use the operation's name, by convention `<module>/<operator>`",
          ),
        );
      }
      const first = seen.get(config.name);
      if (first === undefined) seen.set(config.name, config.namePos.line);
      else
        out.push(
          finding(
            'warning',
            'AIO_GRAPH_CONFIG_DUPLICATE',
            config.namePos,
            `operation "${config.name}" is already configured on line ${first}`,
            'merge the parameters into one entry',
          ),
        );
    }
    return out;
  },
};
