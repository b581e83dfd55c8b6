import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { DIAGRAM_FORMATS, renderDiagram, type DiagramFormat } from '../../graph/diagram.js';
import { topologicalOrder } from '../../graph/topology.js';
import { pipelineOrder, renderPipelineDiagram } from '../../pipeline/diagram.js';
import { describeNode, nodeDetailFields } from '../../pipeline/node-kinds.js';
import { loadValidInput } from '../../pipeline/validate-input.js';

interface ShownGraph {
  file: string;
  name: string | undefined;
  version: string | undefined;
  operations: Array<{ name: string; type: string | undefined; module: string | undefined }>;
  connections: Array<{ from: string; to: string; arm?: string }>;
  diagram?: string;
}

/** A DataflowGraph manifest, as `--json` gives it: nodes in flow order with what each does. */
interface ShownPipeline {
  file: string;
  kind: 'DataflowGraph';
  name: string | undefined;
  nodes: Array<{ name: string; nodeType: string; kind: string } & ReturnType<typeof nodeDetailFields>>;
  connections: Array<{ from: string; port?: string; to: string }>;
  diagram?: string;
}

export default class GraphShow extends AioCommand {
  static override summary = 'Draw a graph or a DataflowGraph manifest: in the terminal, as Mermaid, or as Graphviz DOT.';
  static override description =
    'The terminal view lists operations in topological order with their type, module and where their output goes (branch arms included). For a DataflowGraph manifest it lists the nodes in flow order with their kind (Source, built-in map, WASM graph, …), artifact, source topics and destination topic, and labels branch outputs (output.true/output.false) and WASM sinks. The file must be valid; run `aio graph validate` to see problems.';

  static override examples = [
    { description: 'Look at a graph in the terminal', command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml' },
    { description: 'Draw a DataflowGraph manifest', command: '<%= config.bin %> <%= command.id %> pipeline.dataflowgraph.yaml' },
    { description: 'Mermaid for a README', command: '<%= config.bin %> <%= command.id %> graph.yaml --format mermaid > graph.mmd' },
    { description: 'Render with Graphviz', command: '<%= config.bin %> <%= command.id %> graph.yaml --format dot | dot -Tsvg > graph.svg' },
  ];

  static override args = {
    file: Args.string({ description: 'graph definition or DataflowGraph manifest', required: true }),
  };

  static override flags = {
    format: Flags.option({ options: DIAGRAM_FORMATS, default: 'text' as DiagramFormat, char: 'f', description: 'drawing format' })(),
  };

  async run(): Promise<ShownGraph | ShownPipeline> {
    const { args, flags } = await this.parse(GraphShow);
    const input = await loadValidInput(args.file);
    const withDiagram = (diagram: string): { diagram?: string } => (flags.format === 'text' ? {} : { diagram });
    if (input.kind === 'manifest') {
      const { manifest } = input;
      const diagram = renderPipelineDiagram(manifest, flags.format);
      this.log(diagram);
      return {
        file: manifest.file,
        kind: 'DataflowGraph',
        name: manifest.name?.value,
        nodes: pipelineOrder(manifest).map((n) => ({ name: n.name, nodeType: n.nodeType, kind: describeNode(n), ...nodeDetailFields(n) })),
        connections: manifest.connections.map((c) => ({ from: c.from.node, ...(c.from.port === undefined ? {} : { port: c.from.port }), to: c.to.name })),
        ...withDiagram(diagram),
      };
    }
    const { graph } = input;
    const diagram = renderDiagram(graph, flags.format);
    this.log(diagram);
    return {
      file: graph.file,
      name: graph.metadata.name,
      version: graph.metadata.version,
      operations: topologicalOrder(graph).map((o) => ({ name: o.name, type: o.type, module: o.module })),
      connections: graph.connections.map((c) => ({ from: c.from.name, to: c.to.name, ...(c.from.arm === undefined ? {} : { arm: c.from.arm }) })),
      ...withDiagram(diagram),
    };
  }
}
