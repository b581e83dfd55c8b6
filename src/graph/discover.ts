import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Folders never searched for graphs or test cases: dependencies, VCS data, build and run output. */
export const SKIPPED_DIRS = new Set(['node_modules', '.git', 'output', 'dist', 'target', 'bin', 'obj']);

/** File names that declare themselves graph definitions, as the AIO samples name them. */
const GRAPH_NAME = /(^|[-_.])graph([-_.]|$)|\.dataflow\.ya?ml$/i;

export interface Discovery {
  /** Files named directly, and graph definitions found under directories, in a stable order. */
  files: string[];
  /**
   * `kind: DataflowGraph` manifests found under directories: `graph validate` checks them; commands that want one
   * graph definition (emulate's default, build's interface check) keep to `files`.
   */
  manifests: string[];
  /** YAML files seen under directories but not taken (other Kubernetes manifests, aio.yaml, …). */
  skipped: string[];
}

/**
 * Expands the paths a user gave: files are taken as they are; directories are searched for graph-looking YAML
 * (by name, or by a top-level `operations:` / `moduleRequirements:` key without a Kubernetes `kind:`) and for
 * `kind: DataflowGraph` manifests.
 */
export async function discoverGraphFiles(paths: readonly string[]): Promise<Discovery> {
  const found: Discovery = { files: [], manifests: [], skipped: [] };
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) await walk(path, found);
    else found.files.push(path); // missing files are reported by validation, with the path the user typed
  }
  return found;
}

async function walk(dir: string, found: Discovery): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) await walk(path, found);
    } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
      const kind = await sniffKind(path);
      found[kind].push(path);
    }
  }
}

const SNIFF_BYTES = 64 * 1024;

async function sniffKind(path: string): Promise<'files' | 'manifests' | 'skipped'> {
  if (/\.test\.ya?ml$/i.test(path) || /^aio\.ya?ml$/i.test(basename(path))) return 'skipped';
  const head = await readHead(path);
  // A DataflowGraph custom resource is a pipeline manifest; other Kubernetes kinds are none of ours.
  if (/^kind\s*:\s*["']?DataflowGraph["']?\s*(#.*)?$/m.test(head)) return 'manifests';
  if (/^kind\s*:/m.test(head) && /^apiVersion\s*:/m.test(head)) return 'skipped';
  if (GRAPH_NAME.test(basename(path))) return 'files';
  return /^(operations|moduleRequirements)\s*:/m.test(head) ? 'files' : 'skipped';
}

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return '';
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
