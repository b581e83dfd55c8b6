/**
 * The graph definition behind each custom (WASM) Graph node of a pipeline. A node names an OCI artifact
 * (`thermostat-graph:1.0.0`); locally that is, in order: a `--graph-file <artifact>=<file>` flag, the `graphs:`
 * entry of the aio.yaml above the manifest whose `artifact` (or name) it is, or, with a registry, the artifact
 * pulled into the cache, as the cluster would pull it. Built-in nodes need none.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AioError } from '../errors.js';
import type { Graph } from '../graph/model.js';
import { loadValidGraph } from '../graph/validate.js';
import type { Manifest } from '../pipeline/model.js';
import { isBuiltinArtifact } from '../builtins/transforms/index.js';
import { findProjectFile, loadProject } from '../project/load-project.js';
import { cacheRoot } from '../wasm/transpile-cache.js';
import type { ModuleRegistry } from './resolve-module.js';

export interface GraphSources {
  /** `--graph-file <artifact>=<file>` values. */
  flags: readonly string[];
  /** Where artifacts not found locally are pulled from. */
  registry?: ModuleRegistry | undefined;
}

/** `<artifact>=<file>` pairs; the artifact may be written with or without its tag. */
export function parseGraphFileFlags(values: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const value of values) {
    const equals = value.indexOf('=');
    if (equals <= 0 || equals === value.length - 1) {
      throw new AioError('AIO_PIPELINE_BAD_GRAPH_FILE_FLAG', `--graph-file ${value} is not <artifact>=<graph file>`, {
        hint: 'for example --graph-file thermostat-graph:1.0.0=graph.dataflow.yaml',
      });
    }
    files.set(value.slice(0, equals), resolve(value.slice(equals + 1)));
  }
  return files;
}

export async function loadNodeGraphs(manifest: Manifest, sources: GraphSources): Promise<Map<string, Graph>> {
  const custom = manifest.nodes.filter((n) => n.nodeType === 'Graph' && n.artifact !== undefined && !isBuiltinArtifact(n.artifact.value));
  const graphs = new Map<string, Graph>();
  if (custom.length === 0) return graphs;
  const known = new Map([...(await projectGraphFiles(manifest.file)), ...parseGraphFileFlags(sources.flags)]);
  for (const node of custom) {
    if (node.nodeType !== 'Graph' || node.artifact === undefined) continue;
    const artifact = node.artifact.value;
    const file = known.get(artifact) ?? known.get(artifact.split(':')[0]!) ?? (await pulled(artifact, sources.registry));
    if (file === undefined) {
      throw new AioError(
        'AIO_PIPELINE_GRAPH_NOT_FOUND',
        `node ${node.name}: ${artifact} is not a built-in transform, and no graph definition for it was found`,
        {
          hint: `add it to aio.yaml (graphs: { <name>: { file: graph.yaml, artifact: ${artifact} } }), pass --graph-file ${artifact}=<graph.yaml>, or pass --registry <host> to pull it`,
          location: { file: manifest.file, ...node.artifact.pos },
        },
      );
    }
    graphs.set(node.name, (await loadValidGraph(file)).graph);
  }
  return graphs;
}

/** The `graphs:` of the aio.yaml in the manifest's folder or above it, by artifact and by name; none without one. */
async function projectGraphFiles(manifestFile: string): Promise<Map<string, string>> {
  let projectFile: string;
  try {
    projectFile = findProjectFile(undefined, dirname(resolve(manifestFile)));
  } catch {
    return new Map();
  }
  const project = await loadProject(projectFile);
  const files = new Map<string, string>();
  for (const graph of project.graphs) {
    files.set(graph.name, graph.file);
    if (graph.artifact !== undefined) files.set(graph.artifact, graph.file);
  }
  return files;
}

/** The artifact pulled from the registry into `<cache>/graphs/<repository>/<tag>/`, as the cluster pulls it. */
async function pulled(artifact: string, registry: ModuleRegistry | undefined): Promise<string | undefined> {
  if (registry === undefined) return undefined;
  const [{ parseReference }, { pullArtifact }] = await Promise.all([import('../registry/reference.js'), import('../registry/transfer.js')]);
  const ref = parseReference(`${registry.host}/${artifact}`, { requireTagOrDigest: true });
  const dir = join(cacheRoot(), 'graphs', ref.repository, ref.tag ?? 'digest');
  await mkdir(dir, { recursive: true });
  const result = await pullArtifact(ref, dir, registry.access);
  if (result.kind !== 'graph') {
    throw new AioError('AIO_PIPELINE_GRAPH_NOT_FOUND', `${registry.host}/${artifact} is a ${result.kind}, not a graph definition`, {
      hint: 'a Graph node artifact names a graph definition pushed with aio registry push --graph',
    });
  }
  return existsSync(result.file) ? result.file : undefined;
}
