/**
 * `aio registry push <registry> --graph <pipeline manifest>`: every custom graph a DataflowGraph pipeline uses,
 * each with its modules, under the artifact its Graph node names (`thermostat-graph:1.0.0`), so the cluster finds
 * what the manifest refers to. Built-in transforms are Microsoft's (mcr.microsoft.com) and are left alone. The
 * graph definitions are found as `aio emulate` finds them: aio.yaml's `graphs:` by artifact, or `--graph-file`.
 */
import { isBuiltinArtifact } from '../builtins/transforms/index.js';
import { loadValidManifest } from '../pipeline/validate-manifest.js';
import { pushGraphWithModules, type GraphPushOptions, type GraphPushResult } from '../registry/push-graph.js';
import { loadNodeGraphs } from '../run/node-graphs.js';

export interface PipelinePushResult {
  pipeline: string;
  /** One per distinct custom artifact, in node order. */
  graphs: Array<GraphPushResult & { artifact: string; nodes: string[] }>;
}

export async function pushPipelineGraphs(
  manifestFile: string,
  registry: string,
  options: Omit<GraphPushOptions, 'artifact'> & { graphFiles: readonly string[] },
): Promise<PipelinePushResult> {
  const { manifest } = await loadValidManifest(manifestFile);
  const graphs = await loadNodeGraphs(manifest, { flags: options.graphFiles });
  const byArtifact = new Map<string, { file: string; nodes: string[] }>();
  for (const node of manifest.nodes) {
    if (node.nodeType !== 'Graph' || node.artifact === undefined || isBuiltinArtifact(node.artifact.value)) continue;
    const entry = byArtifact.get(node.artifact.value) ?? { file: graphs.get(node.name)!.file, nodes: [] };
    entry.nodes.push(node.name);
    byArtifact.set(node.artifact.value, entry);
  }
  const pushed: PipelinePushResult['graphs'] = [];
  for (const [artifact, { file, nodes }] of byArtifact) {
    pushed.push({ ...(await pushGraphWithModules(file, registry, { ...options, artifact })), artifact, nodes });
  }
  return { pipeline: manifestFile, graphs: pushed };
}
