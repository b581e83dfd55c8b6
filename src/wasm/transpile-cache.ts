/**
 * Transpiled components on disk, keyed by the sha256 of the component bytes. A cache miss transpiles in-process
 * with jco (about a second for a 12 MB module); a hit only reads files. Entries are written to a temporary folder
 * and renamed into place, so concurrent `aio` processes never see or produce a half-written entry. Each entry ends
 * with a list of its files and their sizes, written last: an entry a disk, a crash or a hand damaged (a cut
 * component.js or core .wasm, a missing world.json) no longer matches it and is built again.
 */
import { mkdir, readFile, rename, rm, writeFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AioError, errorMessage } from '../errors.js';
import { patchTranspiledEntry } from './jco-output-patches.js';
import { UnsupportedWasm, instrumentForDeadline } from './core/deadline-instrument.js';

/** Bump when the patches (jco-output-patches.ts) or the transpile options change, so old entries are not reused. */
const CACHE_FORMAT = 'jco-transpile-0.15.0-v9';

/** The entry module jco writes for `name: 'component'`. */
export const ENTRY_FILE = 'component.js';

/** Each entry's own list of its files and their sizes in bytes; present only in a complete entry. */
const FILE_LIST = 'aio-entry.json';

/** The folder of an entry holding its core modules as they bound their own calls (core/deadline-instrument.ts). */
export const BOUNDED_DIR = 'bounded';
/** `{"bounded": true}`, or `{"bounded": false, "reason": …}` when a core module could not be rewritten. */
export const BOUNDED_STATUS = 'bounded.json';

export interface BoundedStatus {
  bounded: boolean;
  reason?: string;
}

export function cacheRoot(): string {
  const configured = process.env['AIO_CACHE_DIR'];
  if (configured) return configured;
  const base = process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache');
  return join(base, 'aio');
}

export interface CachedTranspile {
  /** Folder holding component.js and its core .wasm files. */
  dir: string;
  /** True when this call transpiled (cache miss). */
  created: boolean;
}

/**
 * Returns the cache folder for these bytes, transpiling on a miss. `extraFiles` (e.g. the inspected world) are
 * written into the same entry so a hit needs nothing else.
 */
export async function transpileCached(bytes: Uint8Array, sha256: string, extraFiles: () => Promise<Record<string, string>>): Promise<CachedTranspile> {
  const dir = join(cacheRoot(), 'components', CACHE_FORMAT, sha256);
  if (await isComplete(dir)) return { dir, created: false };
  const extra = await extraFiles(); // first: inspecting explains a bad component better than jco does
  const transpiled = await transpile(bytes);
  const files = { ...extra, ...transpiled, ...boundedVariants(transpiled) };
  const temp = join(dirname(dir), `.tmp-${sha256.slice(0, 12)}-${randomBytes(6).toString('hex')}`);
  try {
    const sizes: Record<string, number> = {};
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(temp, name)), { recursive: true });
      const data = name === ENTRY_FILE ? Buffer.from(patchTranspiledEntry(Buffer.from(content).toString('utf8'))) : content;
      await writeFile(join(temp, name), data);
      sizes[name] = Buffer.byteLength(data);
    }
    await writeFile(join(temp, FILE_LIST), JSON.stringify(sizes));
    // A damaged entry in the way is moved aside in one step, so a process reading it sees the old or nothing. A
    // complete one is another process's, finished meanwhile: it stays (the rename below then fails, harmlessly).
    if ((await exists(dir)) && !(await isComplete(dir))) await discard(dir);
    try {
      await rename(temp, dir);
    } catch (error) {
      // Another process finished the same entry first: theirs is identical, keep it.
      if (!(await isComplete(dir))) throw error;
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return { dir, created: true };
}

/**
 * Throws away the entry in `dir` (its files did not load, though their sizes were right) so the next
 * transpileCached builds it again.
 */
export async function discardEntry(dir: string): Promise<void> {
  await discard(dir);
}

async function discard(dir: string): Promise<void> {
  const aside = join(dirname(dir), `.old-${randomBytes(6).toString('hex')}`);
  try {
    await rename(dir, aside);
  } catch {
    return; // Another process moved it first.
  }
  await rm(aside, { recursive: true, force: true });
}

/** Every file the entry's list names is there with its size. */
async function isComplete(dir: string): Promise<boolean> {
  try {
    const sizes = JSON.parse(await readFile(join(dir, FILE_LIST), 'utf8')) as Record<string, number>;
    const found = await Promise.all(Object.entries(sizes).map(async ([name, size]) => (await stat(join(dir, name))).size === size));
    return found.every(Boolean) && ENTRY_FILE in sizes;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** How aio asks jco to transpile (the benchmark's unpatched baseline uses the same). */
export const TRANSPILE_OPTIONS = {
  name: 'component',
  instantiation: 'sync',
  // Never inline core modules as base64: inside the generated code a WIT resource named `buffer` shadows
  // Node's Buffer, which the inlined decoder needs.
  base64Cutoff: 0,
  // A guest's error result arrives as a ComponentError with `.payload`, distinct from a trap.
  noComponentErrorWrapping: false,
  emitTypescriptDeclarations: false,
} as const;

/** Each core module also rewritten to bound its own calls; if one cannot be, none is, and the status says why. */
function boundedVariants(files: Record<string, Uint8Array>): Record<string, Uint8Array | string> {
  const variants: Record<string, Uint8Array> = {};
  try {
    for (const [name, content] of Object.entries(files)) if (name.endsWith('.wasm')) variants[`${BOUNDED_DIR}/${name}`] = instrumentForDeadline(content);
  } catch (error) {
    if (!(error instanceof UnsupportedWasm)) throw error;
    return { [BOUNDED_STATUS]: JSON.stringify({ bounded: false, reason: error.message } satisfies BoundedStatus) };
  }
  return { ...variants, [BOUNDED_STATUS]: JSON.stringify({ bounded: true } satisfies BoundedStatus) };
}

async function transpile(bytes: Uint8Array): Promise<Record<string, Uint8Array>> {
  // Loaded on first use: a cache hit never needs jco.
  const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
  try {
    const result = await transpileBytes(bytes, TRANSPILE_OPTIONS);
    return result.files;
  } catch (error) {
    throw new AioError('AIO_MODULE_TRANSPILE', `jco could not transpile the component: ${errorMessage(error)}`, {
      hint: 'Check that the module is a valid component (`aio module inspect`); rebuild it with a current toolchain.',
      cause: error,
    });
  }
}
