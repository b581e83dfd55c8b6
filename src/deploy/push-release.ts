import { AioError } from '../errors.js';
import { resolveGraphRelease } from '../registry/graph-release.js';
import { pushGraphWithModules, type GraphPushResult } from '../registry/push-graph.js';
import { formatReference } from '../registry/reference.js';
import type { RegistryAccess } from '../registry/transfer.js';
import type { DeploymentPlan } from './plan.js';
import type { PipelinePlan } from './pipeline-plan.js';
import { pushPipelineGraphs } from './push-pipeline-graphs.js';

export interface PushedRelease {
  graph: { reference: string; digest: string };
  /** Module reference as the graph writes it → digest. */
  modules: Record<string, string>;
}

/** `deploy --push` of a graph: the graph and its modules to the environment's registry, then the tags checked. */
export async function pushRelease(
  plan: DeploymentPlan,
  moduleDirs: readonly string[],
  access: RegistryAccess,
  onStart: (what: string) => void,
): Promise<PushedRelease> {
  const registry = plan.environment.registry!.host;
  const pushed = await pushGraphWithModules(plan.projectGraph.file, registry, {
    artifact: plan.artifact,
    moduleDirs,
    access,
    onStart: (what) => onStart(`pushing ${what}`),
  });
  return checkPushedTags(registry, plan.artifact, pushed, access);
}

export interface PushedPipelineRelease {
  /** One per distinct custom graph artifact of the pipeline, in node order. */
  graphs: Array<PushedRelease & { artifact: string; nodes: string[] }>;
}

/**
 * `deploy --push` of a pipeline: every custom graph its Graph nodes name, with its modules, to the environment's
 * registry, each then checked as a graph's push is. Built-in transforms are Microsoft's and are not pushed.
 */
export async function pushPipelineRelease(
  plan: PipelinePlan,
  moduleDirs: readonly string[],
  access: RegistryAccess,
  onStart: (what: string) => void,
): Promise<PushedPipelineRelease> {
  const registry = plan.environment.registry!.host;
  const pushed = await pushPipelineGraphs(plan.pipeline.file, registry, { moduleDirs, graphFiles: [], access, onStart: (what) => onStart(`pushing ${what}`) });
  const graphs: PushedPipelineRelease['graphs'] = [];
  for (const graph of pushed.graphs) {
    graphs.push({ artifact: graph.artifact, nodes: graph.nodes, ...(await checkPushedTags(registry, graph.artifact, graph, access)) });
  }
  return { graphs };
}

/**
 * Reads the tags back and checks they resolve to exactly the digests just pushed. The DataflowGraph names the
 * graph by tag (the service takes `<name>:<version>`), so this is where the deployment is pinned: a tag moved by
 * someone else in between stops the deployment instead of shipping their build.
 */
async function checkPushedTags(registry: string, artifact: string, pushed: GraphPushResult, access: RegistryAccess): Promise<PushedRelease> {
  const release = await resolveGraphRelease(registry, artifact, access);
  const expected = new Map([[pushed.graph.reference, pushed.graph.digest], ...pushed.modules.map((m) => [m.reference, m.digest] as const)]);
  for (const resolved of [release.graph, ...release.modules]) {
    const reference = formatReference(resolved.ref);
    const want = expected.get(reference);
    if (want !== undefined && want !== resolved.digest) {
      throw new AioError('AIO_DEPLOY_TAG_MOVED', `${reference} resolves to ${resolved.digest}, not ${want} that was just pushed`, {
        hint: 'another push changed the tag meanwhile; push a new version (metadata.version) or run the deployment again',
      });
    }
  }
  return {
    graph: { reference: formatReference(release.graph.ref), digest: release.graph.digest },
    modules: Object.fromEntries(release.modules.map((m) => [formatReference(m.ref), m.digest])),
  };
}
