import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AioError } from '../errors.js';
import { cacheRoot } from '../wasm/transpile-cache.js';
import { contentLayer } from './artifacts.js';
import { formatReference, manifestReference, type ArtifactReference } from './reference.js';
import { clientFor, parseManifest, type RegistryAccess } from './transfer.js';

export interface CachedModule {
  file: string;
  /** The manifest digest the reference resolved to. */
  digest: string;
  /** True when the bytes were already in the cache (the manifest is still resolved, as tags move). */
  cached: boolean;
}

/**
 * Pulls a module the way the cluster does, by its reference (the tag is resolved every time, since pushing to a
 * tag updates a running graph), into `<cache>/modules/sha256/<layer digest>.wasm`. The bytes are checked against
 * their digest as they stream to a temporary name, renamed into place only when whole, so neither a concurrent run
 * nor a later one reads half a file. The layer digest was checked when the manifest was parsed, so it is a safe name.
 */
export async function pullModuleToCache(ref: ArtifactReference, access: RegistryAccess): Promise<CachedModule> {
  const client = clientFor(ref.registry, access);
  const where = formatReference(ref);
  const manifest = await client.getManifest(ref.repository, manifestReference(ref));
  const { kind, layer } = contentLayer(parseManifest(manifest.bytes, where), where);
  if (kind !== 'module') {
    throw new AioError('AIO_REGISTRY_NOT_A_MODULE', `${where} is a ${kind}, not a module`, { hint: 'check the module reference in the graph' });
  }
  const dir = join(cacheRoot(), 'modules', 'sha256');
  const file = join(dir, `${layer.digest.slice('sha256:'.length)}.wasm`);
  if (
    await stat(file).then(
      (info) => info.size === layer.size,
      () => false,
    )
  )
    return { file, digest: manifest.digest, cached: true };
  await mkdir(dir, { recursive: true });
  await client.downloadBlob(ref.repository, layer, file);
  return { file, digest: manifest.digest, cached: false };
}
