/**
 * The file for an operation's module: the workspace first (workspace/module-locator.ts), then, when a registry is
 * configured, pulled by reference into the module cache, as the cluster would.
 */
import type { Operation } from '../graph/model.js';
import { signedInAccess } from '../registry/credentials.js';
import type { RegistryAccess } from '../registry/transfer.js';
import { DEFAULT_REMOTE_LIMITS, type RemoteLimits } from '../util/remote-limits.js';
import { findLocal, locateModule } from '../workspace/module-locator.js';

/** Where to pull modules that are not found locally: the cluster's registry endpoint host and how to reach it. */
export interface ModuleRegistry {
  host: string;
  access: RegistryAccess;
}

/** The registry at `host`, signed in as `aio registry` commands are (the one way runs build it), within `limits`. */
export function moduleRegistryAt(host: string, plainHttp: boolean, limits: RemoteLimits = DEFAULT_REMOTE_LIMITS): ModuleRegistry {
  return { host, access: signedInAccess({ plainHttp, limits }) };
}

/** A module pulled from the registry: the reference it was pulled by, and the manifest digest that was then. */
export interface PulledModule {
  reference: string;
  digest: string;
}

/** The module's file, or (without a registry) an error before start listing every place it looked. */
export async function resolveModule(
  operation: Operation,
  graphFile: string,
  moduleDirs: readonly string[],
  registry?: ModuleRegistry,
): Promise<{ file: string; pulled?: PulledModule }> {
  if (registry === undefined) return { file: locateModule(operation, graphFile, moduleDirs) };
  const local = findLocal(operation, graphFile, moduleDirs).found;
  if (local !== undefined) return { file: local };
  const reference = `${registry.host}/${operation.module!}`;
  const pulled = await pullModule(reference, registry);
  return { file: pulled.file, pulled: { reference, digest: pulled.digest } };
}

/** Pulls the module at `reference` into the module cache (by layer digest); the file and the manifest digest. */
export async function pullModule(reference: string, registry: ModuleRegistry): Promise<{ file: string; digest: string }> {
  // The registry client loads only when a module has to be pulled.
  const [{ pullModuleToCache }, { parseReference }] = await Promise.all([import('../registry/module-cache.js'), import('../registry/reference.js')]);
  return pullModuleToCache(parseReference(reference, { requireTagOrDigest: true }), registry.access);
}
