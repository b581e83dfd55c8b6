import { AioError } from '../errors.js';
import { remoteLimits, type RemoteLimits } from '../util/remote-limits.js';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import type { Environment, RegistryBinding } from '../project/model.js';
import { findProjectFile, loadProject, selectEnvironment, selectGraph } from '../project/load-project.js';
import { copyGraphRelease, resolveGraphRelease, type CopiedArtifact, type GraphRelease } from '../registry/graph-release.js';
import { defaultArtifactName, preparedGraph } from '../graph/release-graph.js';
import type { RegistryAccess } from '../registry/transfer.js';
import type { DeploymentPlan } from './plan.js';
import { checkedPlan, deployableEnvironment } from './prepare-deployment.js';
import { graphVariables } from '../graph/placeholders.js';

export interface PromotionSelection {
  project?: string | undefined;
  from: string;
  to: string;
  graph?: string | undefined;
}

/** Everything a promotion will do, resolved and checked before anything is copied or deployed. */
export interface Promotion {
  from: Environment;
  /** The target's deployment, bound to the graph as read from the source registry. */
  plan: DeploymentPlan;
  release: GraphRelease;
  fromAccess: RegistryAccess;
  toAccess: RegistryAccess;
}

/**
 * Resolves the graph artifact in the `from` environment's registry, with every module, to digests, and checks
 * the deployment the `to` environment would make of it. Nothing is written anywhere yet.
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
  const projectGraph = selectGraph(project, selection.graph);
  // Without artifact: in aio.yaml, the name comes from the local graph's metadata, as `deploy --push` named it.
  const artifact =
    projectGraph.artifact ??
    defaultArtifactName(preparedGraph(projectGraph.file, await readUserTextOrThrow(projectGraph.file), await graphVariables(projectGraph.file)).graph);
  const fromAccess = accessFor(from.registry, remoteLimits({}, project.remote));
  const release = await resolveGraphRelease(from.registry.host, artifact, fromAccess);
  const plan = checkedPlan(project, projectGraph, release.graph.model, to);
  return { from, plan, release, fromAccess, toAccess: accessFor(to.registry!, remoteLimits({}, project.remote)) };
}

/** Copies the release to the target's registry by digest (a no-op for blobs and manifests already there). */
export async function copyPromotion(promotion: Promotion, onStart?: (what: string) => void): Promise<{ graph: CopiedArtifact; modules: CopiedArtifact[] }> {
  return copyGraphRelease(promotion.release, promotion.plan.environment.registry!.host, promotion.fromAccess, promotion.toAccess, onStart);
}
