/**
 * The graph a run runs, from either kind of file a user names: a graph definition as it is, or a DataflowGraph
 * manifest (Kubernetes CR or ARM) checked, its custom Graph nodes' graph definitions found (node-graphs.ts), and
 * flattened into one graph model (pipeline/flatten.ts). `aio emulate`, `aio test` and the graph worker all take
 * this one path, so a pipeline runs the same way in each of them.
 */
import { AioError } from '../errors.js';
import type { Graph } from '../graph/model.js';
import { loadValidGraph } from '../graph/validate.js';
import { flattenPipeline } from '../pipeline/flatten.js';
import { isManifestFile } from '../pipeline/validate-input.js';
import { loadValidManifest } from '../pipeline/validate-manifest.js';
import type { Manifest } from '../pipeline/model.js';
import { loadNodeGraphs, type GraphSources } from './node-graphs.js';
import { loadPipelineSchemas } from './pipeline-schemas.js';

export async function loadRunGraph(file: string, sources: GraphSources): Promise<Graph> {
  if (!(await isManifestFile(file))) return (await loadValidGraph(file)).graph;
  return loadRunPipeline((await loadValidManifest(file)).manifest, sources);
}

/** A valid manifest (read from a file, or bound by an aio.yaml environment: project/bind-pipeline.ts) as one graph. */
export async function loadRunPipeline(manifest: Manifest, sources: GraphSources): Promise<Graph> {
  checkRunnableLocally(manifest);
  const graph = flattenPipeline(manifest, await loadNodeGraphs(manifest, sources));
  await loadPipelineSchemas(graph, manifest);
  return graph;
}

/**
 * Locally a pipeline reaches one broker: the embedded one, or `--broker`. That is the AIO MQTT broker, the
 * `default` endpoint; another endpoint (Kafka, a remote MQTT broker) names something only the cluster has.
 */
function checkRunnableLocally(manifest: Manifest): void {
  for (const node of manifest.nodes) {
    if (node.nodeType === 'Graph' || node.endpointRef === undefined || node.endpointRef.value === 'default') continue;
    throw new AioError(
      'AIO_PIPELINE_NOT_RUNNABLE',
      `node ${node.name} uses endpoint ${node.endpointRef.value}, which is not runnable locally: aio runs the default endpoint (the AIO MQTT broker) on the embedded broker or --broker`,
      {
        hint: `to run it here, point ${node.name} at endpointRef: default (an aio.yaml environment can bind the real endpoint for deployment)`,
        location: { file: manifest.file, ...node.endpointRef.pos },
      },
    );
  }
}
