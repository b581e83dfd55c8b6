import { AioError } from '../errors.js';
import { remoteLimits, type RemoteLimits } from '../util/remote-limits.js';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import type { Environment, RegistryBinding } from '../project/model.js';
import { findProjectFile, loadProject, selectEnvironment, selectGraph } from '../project/load-project.js';
import { copyGraphRelease, resolveGraphRelease, type CopiedArtifact, type GraphRelease } from '../registry/graph-release.js';
import { defaultArtifactName, preparedGraph } from '../graph/release-graph.js';
import type { RegistryAccess } from '../registry/transfer.js';
import { isBuiltinArtifact } from '../builtins/transforms/index.js';
import { runsPipeline } from '../project/bind-pipeline.js';
import { graphDeployable, pipelineDeployable, type Deployable } from './deployable.js';
import { DEFAULT_PIPELINE_API_VERSION, planPipelineDeployment, type PipelinePlan } from './pipeline-plan.js';
import { checkedPlan, deployableEnvironment } from './prepare-deployment.js';
import { graphVariables } from '../graph/placeholders.js';

export interface PromotionSelection {
  project?: string | undefined;
  from: string;
  to: string;
  graph?: string | undefined;
}

/** One graph artifact to copy: the project's graph, or a custom graph that pipeline nodes name. */
export interface PromotedGraph {
  artifact: string;
  /** The pipeline nodes that run it (none for a project graph). */
  nodes: string[];
  release: GraphRelease;
}

/** Everything a promotion will do, resolved and checked before anything is copied or deployed. */
export interface Promotion {
  from: Environment;
  to: Environment;
  /** `pipeline <name>` or `graph <name>`, for messages. */
  subject: string;
  /** What the target deploys: the graph bound as read from the source registry, or the target's pipeline. */
  target: Deployable;
  graphs: PromotedGraph[];
  fromAccess: RegistryAccess;
  toAccess: RegistryAccess;
}

/**
 * Resolves the graph artifacts in the `from` environment's registry, with every module, to digests, and checks
 * the deployment the `to` environment would make of them. For a pipeline these are the custom graphs its nodes
 * name (built-in transforms come from Microsoft's registry and are left alone). Nothing is written anywhere yet.
 */
export async function planPromotion(
  selection: PromotionSelection,
  accessFor: (registry: RegistryBinding, limits: RemoteLimits) => RegistryAccess,
): Promise<Promotion> {
  const project = await loadProject(findProjectFile(selection.project));
  const from = selectEnvironment(project, selection.from);
  const to = deployableEnvironment(project, selection.to);
  if (from.name === to.name) {
    throw new AioError('AIO_PROMOTE_SAME_ENV', `--from and --to are both ${from.name}`, {
      hint: 'promote between two environments, e.g. --from staging --to prod',
    });
  }
  if (from.registry === undefined) {
    throw new AioError('AIO_PROMOTE_NO_REGISTRY', `environment ${from.name} has no registry: to promote from`, {
      hint: `add registry: { host: … } to ${from.name}, the registry its graph was pushed to`,
      location: { file: project.file, ...from.pos },
    });
  }
  const fromAccess = accessFor(from.registry, remoteLimits({}, project.remote));
  const toAccess = accessFor(to.registry!, remoteLimits({}, project.remote));
  if (selection.graph === undefined && runsPipeline(project, to)) {
    const plan = await planPipelineDeployment(project, to, DEFAULT_PIPELINE_API_VERSION);
    const graphs: PromotedGraph[] = [];
    for (const [artifact, nodes] of customArtifacts(plan)) {
      graphs.push({ artifact, nodes, release: await resolveGraphRelease(from.registry.host, artifact, fromAccess) });
    }
    return { from, to, subject: `pipeline ${plan.pipeline.name}`, target: pipelineDeployable(plan), graphs, fromAccess, toAccess };
  }
  const projectGraph = selectGraph(project, selection.graph);
  // Without artifact: in aio.yaml, the name comes from the local graph's metadata, as `deploy --push` named it.
  const artifact =
    projectGraph.artifact ??
    defaultArtifactName(preparedGraph(projectGraph.file, await readUserTextOrThrow(projectGraph.file), await graphVariables(projectGraph.file)).graph);
  const release = await resolveGraphRelease(from.registry.host, artifact, fromAccess);
  const plan = checkedPlan(project, projectGraph, release.graph.model, to);
  return { from, to, subject: `graph ${plan.graphName}`, target: graphDeployable(plan), graphs: [{ artifact, nodes: [], release }], fromAccess, toAccess };
}

/** Each custom graph artifact the pipeline's nodes name, with those nodes, in node order. */
function customArtifacts(plan: PipelinePlan): Map<string, string[]> {
  const byArtifact = new Map<string, string[]>();
  for (const node of plan.manifest.nodes) {
    if (node.nodeType !== 'Graph' || node.artifact === undefined || isBuiltinArtifact(node.artifact.value)) continue;
    byArtifact.set(node.artifact.value, [...(byArtifact.get(node.artifact.value) ?? []), node.name]);
  }
  return byArtifact;
}

/** Copies every release to the target's registry by digest (a no-op for blobs and manifests already there). */
export async function copyPromotion(
  promotion: Promotion,
  onStart?: (what: string) => void,
): Promise<Array<{ graph: CopiedArtifact; modules: CopiedArtifact[] }>> {
  const copied = [];
  for (const { release } of promotion.graphs) {
    copied.push(await copyGraphRelease(release, promotion.to.registry!.host, promotion.fromAccess, promotion.toAccess, onStart));
  }
  return copied;
}
