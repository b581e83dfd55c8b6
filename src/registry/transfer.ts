import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { AioError } from '../errors.js';
import { preparedGraph } from '../graph/release-graph.js';
import { contentLayer, graphArtifact, isWasm, moduleArtifact, type ArtifactKind, type ArtifactPlan, type Descriptor, type ImageManifest } from './artifacts.js';
import type { CredentialSource, EntraTokenSource } from './auth.js';
import type { TransportOptions } from './http.js';
import { checkDigest } from './digest.js';
import { ANNOTATION_TITLE, OCI_MANIFEST } from './media-types.js';
import { OciClient, type Progress } from './oci-client.js';
import { formatReference, manifestReference, type ArtifactReference } from './reference.js';
import { graphVariables } from '../graph/placeholders.js';

export interface RegistryAccess extends TransportOptions {
  credentials: CredentialSource;
  /** Entra ID tokens for Azure Container Registry, when no other credentials are configured. */
  entraToken?: EntraTokenSource;
  /** Progress per blob, for bars on large uploads and downloads. */
  onProgress?: (label: string, done: number, total: number) => void;
}

export interface PushResult {
  reference: string;
  kind: ArtifactKind;
  digest: string;
  blobs: Array<{ digest: string; size: number; mediaType: string; status: 'uploaded' | 'present' }>;
}

/** "2 blob(s) uploaded, 1 already present": what a push or copy actually sent. */
export function blobSummary(blobs: PushResult['blobs']): string {
  const sent = blobs.filter((b) => b.status === 'uploaded').length;
  return `${sent} blob(s) uploaded, ${blobs.length - sent} already present`;
}

export function clientFor(registry: string, access: RegistryAccess): OciClient {
  return new OciClient({ registry, ...access });
}

/** Pushes a planned artifact: blobs first (skipping those present, so a repeated or resumed push is cheap), then the manifest. */
export async function pushPlan(
  ref: ArtifactReference,
  plan: ArtifactPlan,
  access: RegistryAccess,
  client = clientFor(ref.registry, access),
): Promise<PushResult> {
  const tag = manifestReference(ref);
  const blobs: PushResult['blobs'] = [];
  for (const { descriptor, bytes } of plan.blobs) {
    const label = descriptor.annotations?.['org.opencontainers.image.title'] ?? descriptor.digest.slice(0, 19);
    const progress: Progress | undefined = access.onProgress === undefined ? undefined : (done, total) => access.onProgress!(label, done, total);
    const status = await client.pushBlob(ref.repository, descriptor, bytes, progress);
    blobs.push({ digest: descriptor.digest, size: descriptor.size, mediaType: descriptor.mediaType, status });
  }
  const digest = await client.putManifest(ref.repository, tag, plan.manifestBytes, OCI_MANIFEST);
  return { reference: formatReference(ref), kind: plan.kind, digest, blobs };
}

/** Decides what a file is: a WebAssembly binary is a module, YAML is a graph; `kind` overrides. */
export async function planFile(file: string, kind: ArtifactKind | undefined, created = creationTime()): Promise<ArtifactPlan> {
  let bytes: Buffer;
  try {
    if ((await stat(file)).isDirectory()) throw new Error('is a directory');
    bytes = await readFile(file);
  } catch (error) {
    throw new AioError(
      'AIO_FILE_NOT_FOUND',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      { hint: 'check the path' },
    );
  }
  const detected: ArtifactKind | undefined = isWasm(bytes) ? 'module' : /\.ya?ml$/i.test(extname(file)) ? 'graph' : undefined;
  const chosen = kind ?? detected;
  if (chosen === undefined) {
    throw new AioError('AIO_REGISTRY_UNKNOWN_KIND', `cannot tell whether ${file} is a module or a graph`, {
      hint: 'modules are .wasm binaries and graphs .yaml files; or pass --kind module|graph',
    });
  }
  if (chosen === 'module' && !isWasm(bytes)) {
    throw new AioError('AIO_MODULE_NOT_WASM', `${file} is not a WebAssembly binary (it does not start with \\0asm)`, {
      hint: 'push the .wasm file your operator build produced',
    });
  }
  if (chosen === 'module') return moduleArtifact(basename(file), bytes, created);
  return graphArtifact(basename(file), preparedGraph(file, bytes.toString('utf8'), await graphVariables(file)).bytes, created);
}

/** SOURCE_DATE_EPOCH pins the created annotation, so a rebuilt artifact gets the same digest. */
export function creationTime(): Date {
  const epoch = Number(process.env['SOURCE_DATE_EPOCH']);
  return Number.isFinite(epoch) && process.env['SOURCE_DATE_EPOCH'] !== '' ? new Date(epoch * 1000) : new Date();
}

export interface PullResult {
  reference: string;
  kind: ArtifactKind;
  digest: string;
  file: string;
  size: number;
}

/**
 * Pulls a module or graph and writes its content: into `out` when it is an existing folder (under the title the
 * pusher gave it), else to the file `out`. Every byte is checked against its digest before it is written.
 */
export async function pullArtifact(ref: ArtifactReference, out: string, access: RegistryAccess): Promise<PullResult> {
  const client = clientFor(ref.registry, access);
  const manifest = await client.getManifest(ref.repository, manifestReference(ref));
  const parsed = parseManifest(manifest.bytes, formatReference(ref));
  const { kind, layer } = contentLayer(parsed, formatReference(ref));
  const title = layer.annotations?.[ANNOTATION_TITLE] ?? `${basename(ref.repository)}${kind === 'module' ? '.wasm' : '.yaml'}`;
  const intoFolder =
    out.endsWith('/') ||
    (await stat(out)
      .then((info) => info.isDirectory())
      .catch(() => false));
  if (intoFolder) await mkdir(out, { recursive: true });
  const file = intoFolder ? join(out, fileNameOf(title, formatReference(ref))) : out;
  const label = basename(file);
  await client.downloadBlob(ref.repository, layer, file, access.onProgress === undefined ? undefined : (done, total) => access.onProgress!(label, done, total));
  return { reference: formatReference(ref), kind, digest: manifest.digest, file, size: layer.size };
}

/**
 * The file name a layer's title gives, refused when it names no file of its own (empty, `.`, `..`, a path, a
 * control character): the title comes from whoever pushed the artifact.
 */
function fileNameOf(title: string, where: string): string {
  if (title === '' || title === '.' || title === '..' || /[/\\\x00-\x1f]/.test(title)) {
    throw new AioError('AIO_REGISTRY_BAD_TITLE', `${where} names its content ${JSON.stringify(title)} (${ANNOTATION_TITLE}), which is not a file name`, {
      hint: 'pull to a file instead of a folder: -o <file>',
    });
  }
  return title;
}

export function parseManifest(bytes: Buffer, where: string): ImageManifest {
  let manifest: ImageManifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest;
    if (manifest.schemaVersion !== 2 || typeof manifest.config !== 'object' || !Array.isArray(manifest.layers)) throw new Error('not an image manifest');
  } catch (error) {
    throw new AioError('AIO_REGISTRY_UNKNOWN_ARTIFACT', `${where} is not an OCI image manifest: ${(error as Error).message}`, {
      hint: 'aio pulls modules and graphs pushed as OCI artifacts',
    });
  }
  for (const [i, descriptor] of [manifest.config, ...manifest.layers].entries()) {
    checkDigest(descriptor?.digest, `${where} (${i === 0 ? 'its config' : `layer ${i}`})`);
  }
  return manifest;
}

export interface CopyResult {
  source: string;
  destination: string;
  digest: string;
  blobs: PushResult['blobs'];
}

/**
 * Copies an artifact byte for byte (same manifest, same digest) to another repository or registry: promotion
 * from staging to production without rebuilding. Blobs the destination already has are not sent again.
 */
export async function copyArtifact(
  source: ArtifactReference,
  destination: ArtifactReference,
  sourceAccess: RegistryAccess,
  destinationAccess: RegistryAccess,
): Promise<CopyResult> {
  const from = clientFor(source.registry, sourceAccess);
  const to = clientFor(destination.registry, destinationAccess);
  const manifest = await from.getManifest(source.repository, manifestReference(source));
  const parsed = parseManifest(manifest.bytes, formatReference(source));
  const blobs: PushResult['blobs'] = [];
  for (const descriptor of [parsed.config, ...parsed.layers]) {
    if (await to.blobExists(destination.repository, descriptor.digest)) {
      blobs.push({ digest: descriptor.digest, size: descriptor.size, mediaType: descriptor.mediaType, status: 'present' });
      continue;
    }
    await copyBlob(from, source.repository, to, destination.repository, descriptor, sourceAccess.onProgress);
    blobs.push({ digest: descriptor.digest, size: descriptor.size, mediaType: descriptor.mediaType, status: 'uploaded' });
  }
  const target = destination.tag ?? destination.digest ?? source.tag ?? manifest.digest;
  const digest = await to.putManifest(destination.repository, target, manifest.bytes, manifest.mediaType || parsed.mediaType);
  return {
    source: formatReference(source),
    destination: formatReference({ ...destination, tag: destination.tag ?? (target.startsWith('sha256:') ? undefined : target) }),
    digest,
    blobs,
  };
}

/**
 * One blob from registry to registry through a temporary file (checked against its digest on the way in), so a
 * large layer is never held in memory: uploads read it back a chunk at a time.
 */
async function copyBlob(
  from: OciClient,
  fromRepository: string,
  to: OciClient,
  toRepository: string,
  descriptor: Descriptor,
  onProgress: RegistryAccess['onProgress'],
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'aio-copy-'));
  try {
    const file = join(dir, 'blob');
    const label = descriptor.annotations?.[ANNOTATION_TITLE] ?? descriptor.digest.slice(0, 19);
    const progress = (step: string) => (onProgress === undefined ? undefined : (done: number, total: number) => onProgress(`${label} (${step})`, done, total));
    await from.downloadBlob(fromRepository, descriptor, file, progress('download'));
    await to.pushBlob(toRepository, descriptor, { file, size: descriptor.size }, progress('upload'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
