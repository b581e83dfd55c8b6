/**
 * Component bytes → a ready-to-instantiate component: inspect its world, refuse what this host cannot run,
 * transpile (or reuse the cache), compile the core modules once. Instances are then cheap to create, which is what
 * lets the host replace an instance after a trap.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { AioError } from '../errors.js';
import { assertComponent, inspectComponent, readModuleFile, sha256Hex, type ComponentWorld } from './component-world.js';
import { BOUNDED_DIR, BOUNDED_STATUS, ENTRY_FILE, discardEntry, transpileCached, type BoundedStatus } from './transpile-cache.js';
import { WASM_PAGE_BYTES, capMemory } from './memory-cap.js';
import { formatInterfaceRef } from './wit-names.js';

const WORLD_FILE = 'world.json';

// QuickJS-built components (componentize-qjs, aio build's default for JavaScript) use WebAssembly extended constant
// expressions: on by default from Node 22, behind this V8 flag on Node 20. V8 flags are per process, so worker
// threads get it too; it must be set before the first compile.
if (Number(process.versions.node.split('.')[0]) < 22) setFlagsFromString('--experimental-wasm-extended-const');

/** Exports of an instance, keyed as jco names them (`wasm-graph:processor/map@1.1.0`). */
export type ComponentExports = Record<string, Record<string, (...args: unknown[]) => unknown>>;

export interface LoadedComponent {
  /** Where the bytes came from, for messages. */
  source: string;
  /** The component file's sha256, hex: what a module swap names. */
  sha256: string;
  world: ComponentWorld;
  /** True when the transpiled output came from the cache. */
  cacheHit: boolean;
  /**
   * True when its core modules bound their own calls (instrumented, see call-deadline.ts): instances need the
   * deadline's imports, given as `coreImports`.
   */
  bounded: boolean;
  /** Why the component runs unbounded though bounding was asked for (a module the rewriter does not understand). */
  unboundedReason?: string | undefined;
  /**
   * Creates a fresh instance with these imports (synchronous: the core modules are already compiled);
   * `coreImports` go to every core module (a call deadline's check).
   */
  instantiate(imports: Record<string, unknown>, coreImports?: WebAssembly.Imports): ComponentExports;
  /** The same component as a worker thread can receive it: compiled core modules cross threads without recompiling. */
  shareable: ShareableComponent;
}

export interface ShareableComponent {
  source: string;
  /** The component file's sha256, hex. */
  sha256: string;
  world: ComponentWorld;
  cacheHit: boolean;
  bounded: boolean;
  unboundedReason?: string | undefined;
  entryUrl: string;
  modules: Map<string, WebAssembly.Module>;
}

/** Each instance's linear memory is capped at this many MiB unless the run says otherwise (`--memory-limit`). */
export const DEFAULT_MEMORY_LIMIT_MIB = 256;

type InstantiateFn = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore?: (module: WebAssembly.Module, imports: WebAssembly.Imports) => WebAssembly.Instance,
) => ComponentExports;

/**
 * Components already loaded in this process, by path and file identity: `aio test` prepares a run per case, and
 * compiling a JS-built component's core modules again each time cost ~0.3 s per case.
 */
const loaded = new Map<string, Promise<LoadedComponent>>();

/**
 * Loads a component file; every instance's memory is capped at `memoryLimitMiB` (see memory-cap.ts). With
 * `bounded`, its core modules are the instrumented ones that bound their own calls, where the rewriter could make them.
 */
export async function loadComponentFile(path: string, memoryLimitMiB = DEFAULT_MEMORY_LIMIT_MIB, bounded = false): Promise<LoadedComponent> {
  const info = await stat(path).catch(() => undefined);
  const key = info === undefined ? undefined : `${path}\0${info.size}\0${info.mtimeMs}\0${info.ino}\0${memoryLimitMiB}\0${bounded}`;
  const known = key === undefined ? undefined : loaded.get(key);
  if (known !== undefined) return withCacheHit(await known);
  const loading = readModuleFile(path).then((bytes) => loadComponent(bytes, path, memoryLimitMiB, bounded));
  if (key !== undefined) {
    loaded.set(key, loading);
    loading.catch(() => loaded.delete(key));
  }
  return loading;
}

function withCacheHit(component: LoadedComponent): LoadedComponent {
  return { ...component, cacheHit: true, shareable: { ...component.shareable, cacheHit: true } };
}

export async function loadComponent(bytes: Uint8Array, source: string, memoryLimitMiB = DEFAULT_MEMORY_LIMIT_MIB, bounded = false): Promise<LoadedComponent> {
  assertComponent(bytes, source);
  const sha256 = sha256Hex(bytes);
  let inspected: ComponentWorld | undefined;
  const extraFiles = async (): Promise<Record<string, string>> => {
    inspected = await inspectComponent(bytes, source);
    refuseUnsupported(inspected, source);
    return { [WORLD_FILE]: JSON.stringify(inspected) };
  };
  const cache = await transpileCached(bytes, sha256, extraFiles);
  const maxPages = Math.floor((memoryLimitMiB * 1024 * 1024) / WASM_PAGE_BYTES);
  try {
    return await fromCacheEntry(cache.dir, { source, sha256, cacheHit: !cache.created, inspected, maxPages, bounded });
  } catch (error) {
    // A cached entry whose files have the right sizes but do not load was damaged in place: build it again, once.
    if (cache.created || error instanceof AioError) throw error;
    await discardEntry(cache.dir);
    const rebuilt = await transpileCached(bytes, sha256, extraFiles);
    // A new URL: the module loader remembers the failed import of the old one.
    return fromCacheEntry(rebuilt.dir, { source, sha256, cacheHit: false, inspected, maxPages, bounded, entryQuery: `?rebuilt=${Date.now()}` });
  }
}

async function fromCacheEntry(
  dir: string,
  entry: {
    source: string;
    sha256: string;
    cacheHit: boolean;
    inspected: ComponentWorld | undefined;
    maxPages: number;
    bounded: boolean;
    entryQuery?: string;
  },
): Promise<LoadedComponent> {
  const world = entry.inspected ?? (JSON.parse(await readFile(join(dir, WORLD_FILE), 'utf8')) as ComponentWorld);
  refuseUnsupported(world, entry.source);
  const status = entry.bounded ? (JSON.parse(await readFile(join(dir, BOUNDED_STATUS), 'utf8')) as BoundedStatus) : { bounded: false };
  const modules = await compileCoreModules(status.bounded ? join(dir, BOUNDED_DIR) : dir, entry.maxPages);
  const entryUrl = pathToFileURL(join(dir, ENTRY_FILE)).href + (entry.entryQuery ?? '');
  const { source, sha256, cacheHit } = entry;
  return componentFromShared({ source, sha256, world, cacheHit, bounded: status.bounded, unboundedReason: status.reason, entryUrl, modules });
}

/** A component loaded elsewhere (another thread), ready to instantiate here. */
export async function componentFromShared(shared: ShareableComponent): Promise<LoadedComponent> {
  const entry = (await import(shared.entryUrl)) as { instantiate: InstantiateFn };
  return {
    source: shared.source,
    sha256: shared.sha256,
    world: shared.world,
    cacheHit: shared.cacheHit,
    bounded: shared.bounded,
    unboundedReason: shared.unboundedReason,
    shareable: shared,
    instantiate(imports, coreImports) {
      const getCoreModule = (name: string): WebAssembly.Module => {
        const module = shared.modules.get(name);
        if (!module) throw new Error(`transpiled component has no core module ${name}`);
        return module;
      };
      const instantiateCore =
        coreImports === undefined
          ? undefined
          : (module: WebAssembly.Module, imports?: WebAssembly.Imports) => new WebAssembly.Instance(module, { ...imports, ...coreImports });
      return withoutJspiProbeCost(() => entry.instantiate(getCoreModule, imports, instantiateCore));
    },
  };
}

const JSPI_UNAVAILABLE = new TypeError('WebAssembly.promising is not available in this Node.js');

/**
 * jco's instantiation probes for JSPI with `try { WebAssembly.promising(f) } catch {}` once per export. On Node 20
 * the call throws "is not a function", and V8 re-parses the calling function, jco's whole generated instantiation
 * (thousands of lines), to word that message: ~90 % of an instantiation. A stand-in that throws a ready-made error
 * keeps jco's fallback identical and costs nothing; it exists only during the call.
 */
function withoutJspiProbeCost<T>(instantiate: () => T): T {
  const wasm = WebAssembly as unknown as { promising?: unknown };
  if (wasm.promising !== undefined) return instantiate();
  wasm.promising = () => {
    throw JSPI_UNAVAILABLE;
  };
  try {
    return instantiate();
  } finally {
    delete wasm.promising;
  }
}

function refuseUnsupported(world: ComponentWorld, source: string): void {
  if (world.problems.length === 0) return;
  const first = world.unsupportedImports[0];
  throw new AioError('AIO_MODULE_UNSUPPORTED', `${source} cannot run in this host: it ${world.problems.join('; it ')}`, {
    hint: first
      ? `Rebuild the module without ${formatInterfaceRef(first)}, or run it in the cluster.`
      : 'Rebuild the module against wasm-graph:processor@1.1.0 (see `aio module inspect`).',
  });
}

async function compileCoreModules(dir: string, maxPages: number): Promise<Map<string, WebAssembly.Module>> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.wasm'));
  const compiled = await Promise.all(
    names.map(async (name) => [name, await WebAssembly.compile(capMemory(await readFile(join(dir, name)), maxPages))] as const),
  );
  return new Map(compiled);
}
