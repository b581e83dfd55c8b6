import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { DIAGRAM_FORMATS, renderDiagram, type DiagramFormat } from '../../graph/diagram.js';
import { topologicalOrder } from '../../graph/topology.js';
import { loadValidGraph } from '../../graph/validate.js';

interface ShownGraph {
  file: string;
  name: string | undefined;
  version: string | undefined;
  operations: Array<{ name: string; type: string | undefined; module: string | undefined }>;
  connections: Array<{ from: string; to: string; arm?: string }>;
  diagram?: string;
}

export default class GraphShow extends AioCommand {
  static override summary = 'Draw a graph: in the terminal, as Mermaid, or as Graphviz DOT.';
  static override description =
    'The terminal view lists operations in topological order with their type, module and where their output goes (branch arms included). The graph must be valid; run `aio graph validate` to see problems.';

  static override examples = [
    { description: 'Look at a graph in the terminal', command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml' },
    { description: 'Mermaid for a README', command: '<%= config.bin %> <%= command.id %> graph.yaml --format mermaid > graph.mmd' },
    { description: 'Render with Graphviz', command: '<%= config.bin %> <%= command.id %> graph.yaml --format dot | dot -Tsvg > graph.svg' },
  ];

  static override args = {
    file: Args.string({ description: 'graph definition file', required: true }),
  };

  static override flags = {
    format: Flags.option({ options: DIAGRAM_FORMATS, default: 'text' as DiagramFormat, char: 'f', description: 'drawing format' })(),
  };

  async run(): Promise<ShownGraph> {
    const { args, flags } = await this.parse(GraphShow);
    const { graph } = await loadValidGraph(args.file);
    const diagram = renderDiagram(graph, flags.format);
    this.log(diagram);
    return {
      file: graph.file,
      name: graph.metadata.name,
      version: graph.metadata.version,
      operations: topologicalOrder(graph).map((o) => ({ name: o.name, type: o.type, module: o.module })),
      connections: graph.connections.map((c) => ({ from: c.from.name, to: c.to.name, ...(c.from.arm === undefined ? {} : { arm: c.from.arm }) })),
      ...(flags.format === 'text' ? {} : { diagram }),
    };
  }
}
