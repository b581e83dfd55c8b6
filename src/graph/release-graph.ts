/**
 * A graph as it is released (pushed, deployed, promoted): `${VAR}` placeholders filled and checked valid, and the
 * artifact name it goes by. One loader for every release path, so each sees the same graph.
 */
import { AioError } from '../errors.js';
import type { Graph } from './model.js';
import { fillPlaceholders } from './placeholders.js';
import type { VariableLookup } from '../util/variables.js';
import { GraphInvalidError, validateGraphText } from './validate.js';

/**
 * A graph is pushed only when valid, with its `${VAR}` placeholders filled (`graphVariables(file)`: the environment,
 * then `.env` beside the graph): the cluster would reject anything else.
 */
export function preparedGraph(file: string, text: string, variables: VariableLookup): { bytes: Buffer; graph: Graph } {
  const filled = fillPlaceholders(text, variables, file);
  const validation = validateGraphText(file, filled);
  if (!validation.valid || validation.graph === undefined) throw new GraphInvalidError(file, validation.diagnostics);
  return { bytes: Buffer.from(filled), graph: validation.graph };
}

/**
 * `Thermostat` version `1.0.0` → `thermostat-graph:1.0.0`, the artifact a DataflowGraph's `artifact` names. The
 * suffix keeps the graph off a module's repository: graphs and modules share the registry's namespace.
 */
export function defaultArtifactName(graph: Graph): string {
  const name = graph.metadata.name
    ?.toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const version = graph.metadata.version;
  if (!name || !version) {
    throw new AioError('AIO_GRAPH_ARTIFACT_NAME', `${graph.file} has no metadata.name and metadata.version to name its artifact`, {
      hint: 'add both to the graph, or pass --name <name>:<version>',
      location: { file: graph.file, line: 1, column: 1 },
    });
  }
  return `${name.endsWith('graph') ? name : `${name}-graph`}:${version}`;
}
