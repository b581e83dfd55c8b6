import { AioError } from '../errors.js';
import { resolveGraphRelease } from '../registry/graph-release.js';
import { pushGraphWithModules } from '../registry/push-graph.js';
import { formatReference } from '../registry/reference.js';
import type { RegistryAccess } from '../registry/transfer.js';
import type { DeploymentPlan } from './plan.js';

export interface PushedRelease {
  graph: { reference: string; digest: string };
  /** Module reference as the graph writes it → digest. */
  modules: Record<string, string>;
}

/**
 * `deploy --push`: pushes the graph and its modules to the environment's registry, then reads the tags back and
 * checks they resolve to exactly the digests just pushed. The DataflowGraph names the graph by tag (the service
 * takes `<name>:<version>`), so this is where the deployment is pinned: a tag moved by someone else in between
 * stops the deployment instead of shipping their build.
 */
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
  const release = await resolveGraphRelease(registry, plan.artifact, access);
  const expected = new Map([[pushed.graph.reference, pushed.graph.digest], ...pushed.modules.map((m) => [m.reference, m.digest] as const)]);
  for (const artifact of [release.graph, ...release.modules]) {
    const reference = formatReference(artifact.ref);
    const want = expected.get(reference);
    if (want !== undefined && want !== artifact.digest) {
      throw new AioError('AIO_DEPLOY_TAG_MOVED', `${reference} resolves to ${artifact.digest}, not ${want} that was just pushed`, {
        hint: 'another push changed the tag meanwhile; push a new version (metadata.version) or run the deployment again',
      });
    }
  }
  return {
    graph: { reference: formatReference(release.graph.ref), digest: release.graph.digest },
    modules: Object.fromEntries(release.modules.map((m) => [formatReference(m.ref), m.digest])),
  };
}
