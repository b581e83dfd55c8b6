/**
 * A pipeline as the engine runs it: one graph model in which every Source node is a `source` operation taking its
 * topics, every built-in Graph node one native operation, every custom Graph node the operations of its WASM graph
 * definition (renamed `<node>/<operation>`, its own source and sink dissolved into the pipeline's connections), and
 * every Destination node a `sink` operation that resolves its topic. So the emulator, `aio test`, the trace, the
 * dashboard and `/metrics` run and show a pipeline with the code they run a graph with.
 */
import type { Arm, Connection, Graph, ModuleConfiguration, Operation } from '../graph/model.js';
import type { Position } from '../diagnostics.js';
import type { Manifest, PipelineConnection, PipelineNode } from './model.js';
import { builtinOf } from './node-kinds.js';
import type { BuiltinName } from '../builtins/builtin-transform.js';

/** The graph definition behind each custom (WASM) Graph node, by node name. */
export type NodeGraphs = ReadonlyMap<string, Graph>;

interface End {
  operation: string;
  arm: Arm | undefined;
}

export function flattenPipeline(manifest: Manifest, graphs: NodeGraphs): Graph {
  const operations: Operation[] = [];
  const connections: Connection[] = [];
  const moduleConfigurations: ModuleConfiguration[] = [];
  const features = new Map<string, string | undefined>();
  const schemas: Graph['schemas'] = [];
  const connect = (from: End, to: string, pos: Position): void => {
    connections.push({
      index: connections.length,
      from: { name: from.operation, pos, arm: from.arm, armPos: undefined, schemaName: undefined },
      to: { name: to, pos },
      pos,
    });
  };

  for (const node of manifest.nodes) {
    const base = { name: node.name, module: undefined, pos: node.pos, namePos: node.namePos, typePos: node.pos, modulePos: undefined };
    if (node.nodeType === 'Source') {
      operations.push({ ...base, type: 'source', native: { kind: 'source', node: node.name, filters: node.dataSources.map((d) => d.value) } });
    } else if (node.nodeType === 'Destination') {
      const headers = (node.headers?.actions ?? []).map((a) => ({
        actionType: a.actionType?.value as 'AddIfNotPresent' | 'AddOrReplace' | 'Remove',
        key: a.key?.value ?? '',
        ...(a.value === undefined ? {} : { value: a.value.value }),
      }));
      const native = {
        kind: 'destination' as const,
        node: node.name,
        endpoint: node.endpointRef?.value ?? 'default',
        topic: node.dataDestination?.value ?? '',
        headers,
      };
      operations.push({ ...base, type: 'sink', native });
    } else {
      const transform = builtinOf(node);
      if (transform !== undefined) {
        const configuration = node.configuration.map(({ key, value }) => ({ key, value }));
        const artifact = node.artifact?.value ?? '';
        const schemaRef = manifest.connections.find((c) => c.to.name === node.name && c.from.schema?.schemaRef !== undefined)?.from.schema?.schemaRef?.value;
        const schema = schemaRef === undefined ? {} : { schema: { ref: schemaRef } };
        operations.push({
          ...base,
          type: OPERATION_TYPE_OF[transform],
          native: { kind: 'builtin', node: node.name, transform, artifact, configuration, ...schema },
        });
        continue;
      }
      const inner = graphs.get(node.name);
      if (inner === undefined) continue; // node-graphs.ts found every custom graph or said which it could not
      inlineGraph(node, inner, { operations, moduleConfigurations, connections });
      for (const feature of inner.features) features.set(feature.name, feature.value);
      schemas.push(...inner.schemas);
    }
  }
  // Inner connections were added while inlining; now the pipeline's own, each expanded to its operation ends.
  const byName = new Map(manifest.nodes.map((n) => [n.name, n]));
  for (const connection of manifest.connections) {
    const from = byName.get(connection.from.node);
    const to = byName.get(connection.to.name);
    if (from === undefined || to === undefined) continue; // reported by the rules; a checked manifest has none
    for (const end of outputsOf(from, connection, graphs)) for (const target of inputsOf(to, graphs)) connect(end, target, connection.pos);
  }
  return {
    file: manifest.file,
    metadata: { schema: undefined, name: manifest.name?.value, version: undefined, description: undefined, vendor: undefined },
    apiVersion: undefined,
    runtimeVersion: undefined,
    features: [...features].map(([name, value]) => ({ name, value })),
    operations,
    connections,
    moduleConfigurations,
    schemas,
    placeholders: [],
  };
}

/** The operation type a built-in runs as, for tables and drawings; what it does comes from its native node. */
const OPERATION_TYPE_OF: Record<BuiltinName, Operation['type']> = {
  map: 'map',
  filter: 'filter',
  branch: 'branch',
  concatenate: 'concatenate',
  window: 'accumulate',
  throttle: 'filter', // passes or drops each message
};

const innerName = (node: string, operation: string): string => `${node}/${operation}`;

/**
 * Adds a WASM graph's operations and inner connections, renamed under the node. Its source and sink operations
 * are left out: the pipeline's connections take their place (inputsOf, outputsOf). The node's `configuration`
 * becomes the defaults of the parameters its operations declare (and adds the ones they do not), so `--param`
 * and test cases still override it.
 */
function inlineGraph(
  node: PipelineNode,
  inner: Graph,
  into: { operations: Operation[]; moduleConfigurations: ModuleConfiguration[]; connections: Connection[] },
): void {
  const configuration = node.nodeType === 'Graph' ? node.configuration : [];
  const boundary = new Set(inner.operations.filter((o) => o.type === 'source' || o.type === 'sink').map((o) => o.name));
  for (const op of inner.operations) {
    if (boundary.has(op.name)) continue;
    into.operations.push({ ...op, name: innerName(node.name, op.name), origin: { node: node.name, graphFile: inner.file } });
    const declared = inner.moduleConfigurations.find((c) => c.name === op.name);
    const parameters = (declared?.parameters ?? []).map((p) => {
      const given = configuration.find((c) => c.key === p.id || c.key === p.name);
      return given === undefined ? p : { ...p, default: given.value };
    });
    for (const c of configuration) {
      if (!parameters.some((p) => p.id === c.key || p.name === c.key) && op.module !== undefined) {
        parameters.push({ id: c.key, name: c.key, description: undefined, required: false, default: c.value, pos: c.keyPos });
      }
    }
    if (parameters.length > 0)
      into.moduleConfigurations.push({
        name: innerName(node.name, op.name),
        parameters,
        pos: declared?.pos ?? node.pos,
        namePos: declared?.namePos ?? node.pos,
      });
  }
  for (const c of inner.connections) {
    if (boundary.has(c.from.name) || boundary.has(c.to.name)) continue;
    into.connections.push({
      ...c,
      index: into.connections.length,
      from: { ...c.from, name: innerName(node.name, c.from.name) },
      to: { ...c.to, name: innerName(node.name, c.to.name) },
    });
  }
}

/** The operations (and branch arms) that the pipeline connection leaves from. */
function outputsOf(node: PipelineNode, connection: PipelineConnection, graphs: NodeGraphs): End[] {
  const port = connection.from.port;
  const inner = graphs.get(node.name);
  if (inner === undefined) {
    const arm = port === 'output.true' ? 'True' : port === 'output.false' ? 'False' : undefined;
    return [{ operation: node.name, arm }];
  }
  const sinks = inner.operations.filter((o) => o.type === 'sink' && (port === undefined || o.name === port)).map((o) => o.name);
  return inner.connections.filter((c) => sinks.includes(c.to.name)).map((c) => ({ operation: innerName(node.name, c.from.name), arm: c.from.arm }));
}

/** The operations a connection into the node reaches. */
function inputsOf(node: PipelineNode, graphs: NodeGraphs): string[] {
  const inner = graphs.get(node.name);
  if (inner === undefined) return [node.name];
  const sources = new Set(inner.operations.filter((o) => o.type === 'source').map((o) => o.name));
  return inner.connections.filter((c) => sources.has(c.from.name)).map((c) => innerName(node.name, c.to.name));
}
