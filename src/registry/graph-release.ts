import { AioError } from '../errors.js';
import type { Graph } from '../graph/model.js';
import { mapLimit } from '../util/map-limit.js';
import { contentLayer } from './artifacts.js';
import { distinctModules } from './push-graph.js';
import { formatReference, manifestReference, parseReference, type ArtifactReference } from './reference.js';
import { clientFor, copyArtifact, parseManifest, type PushResult, type RegistryAccess } from './transfer.js';
import { preparedGraph } from '../graph/release-graph.js';
import { variableLookup } from '../util/variables.js';

/** An artifact as it is named (tag, or digest when the graph pins one) and the digest that name resolved to. */
export interface ResolvedArtifact {
  ref: ArtifactReference;
  digest: string;
}

/** A pushed graph and its modules, each resolved to a digest at one moment: the exact thing to promote. */
export interface GraphRelease {
  registry: string;
  graph: ResolvedArtifact & { model: Graph };
  modules: ResolvedArtifact[];
}

export interface CopiedArtifact {
  reference: string;
  digest: string;
  blobs: PushResult['blobs'];
}

/** Copies at once: as for pushes, enough to hide latency without tripping registry rate limits. */
const PARALLEL_COPIES = 4;

/**
 * Reads the graph artifact `<registry>/<artifact>` back from the registry (not from the local file: what is
 * promoted is what was tested) and resolves it and every module it references to a digest.
 */
export async function resolveGraphRelease(registry: string, artifact: string, access: RegistryAccess): Promise<GraphRelease> {
  const ref = parseReference(`${registry}/${artifact}`, { requireTagOrDigest: true });
  const client = clientFor(registry, access);
  const where = formatReference(ref);
  const manifest = await client.getManifest(ref.repository, manifestReference(ref)).catch((error: unknown) => {
    throw notFound(error, `graph ${where}`);
  });
  const { kind, layer } = contentLayer(parseManifest(manifest.bytes, where), where);
  if (kind !== 'graph') {
    throw new AioError('AIO_PROMOTE_NOT_A_GRAPH', `${where} is a module, not a graph`, {
      hint: 'set artifact: in aio.yaml to the graph artifact (the -graph name `aio registry push --graph` printed)',
    });
  }
  const { graph } = preparedGraph(where, (await client.fetchBlob(ref.repository, layer)).toString('utf8'), variableLookup(process.env, new Map()));
  const modules = await mapLimit(distinctModules(graph), PARALLEL_COPIES, async (operation) => {
    const moduleRef = parseReference(`${registry}/${operation.module}`);
    if (moduleRef.digest !== undefined) return { ref: moduleRef, digest: moduleRef.digest };
    const found = await client.getManifest(moduleRef.repository, manifestReference(moduleRef)).catch((error: unknown) => {
      throw notFound(error, `module ${formatReference(moduleRef)} (operation ${operation.name} of ${where})`);
    });
    return { ref: moduleRef, digest: found.digest };
  });
  return { registry, graph: { ref, digest: manifest.digest, model: graph }, modules };
}

/**
 * Copies a release to another registry under the same names, each by its resolved digest: a tag moved in the
 * source meanwhile changes nothing. Modules go first and the graph last, so the graph never names a missing
 * module. Each copy is checked to have landed under the source's digest.
 */
export async function copyGraphRelease(
  release: GraphRelease,
  toRegistry: string,
  fromAccess: RegistryAccess,
  toAccess: RegistryAccess,
  onStart?: (what: string) => void,
): Promise<{ graph: CopiedArtifact; modules: CopiedArtifact[] }> {
  const copy = async (artifact: ResolvedArtifact): Promise<CopiedArtifact> => {
    const source = { ...artifact.ref, tag: undefined, digest: artifact.digest };
    const destination = { ...artifact.ref, registry: toRegistry };
    onStart?.(`${formatReference(artifact.ref)} → ${toRegistry}`);
    const result = await copyArtifact(source, destination, fromAccess, toAccess);
    if (result.digest !== artifact.digest) {
      throw new AioError('AIO_PROMOTE_DIGEST_MISMATCH', `${formatReference(destination)} landed as ${result.digest}, not ${artifact.digest}`, {
        hint: 'the destination registry rewrote the manifest; use a registry that stores OCI manifests byte for byte',
      });
    }
    return { reference: formatReference(destination), digest: result.digest, blobs: result.blobs };
  };
  const modules = await mapLimit(release.modules, PARALLEL_COPIES, copy);
  return { graph: await copy(release.graph), modules };
}

/** A 404 from the source registry becomes "push it first"; anything else stays as the client reported it. */
function notFound(error: unknown, what: string): unknown {
  if (!(error instanceof AioError) || error.code !== 'AIO_REGISTRY_NOT_FOUND') return error;
  return new AioError('AIO_PROMOTE_SOURCE_MISSING', `${what} is not in the source registry: ${error.message}`, {
    hint: 'push it there first, e.g. `aio deploy graph --env <from> --push` or `aio registry push <registry> --graph <file>`',
  });
}
