import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Folders never searched for graphs or test cases: dependencies, VCS data, build and run output. */
export const SKIPPED_DIRS = new Set(['node_modules', '.git', 'output', 'dist', 'target', 'bin', 'obj']);

/** File names that declare themselves graph definitions, as the AIO samples name them. */
const GRAPH_NAME = /(^|[-_.])graph([-_.]|$)|\.dataflow\.ya?ml$/i;

export interface Discovery {
  /** Graph files to validate, in a stable order. */
  files: string[];
  /** YAML files seen under directories but not taken for graphs (Kubernetes manifests, aio.yaml, …). */
  skipped: string[];
}

/**
 * Expands the paths a user gave: files are taken as they are; directories are searched for graph-looking YAML
 * (by name, or by a top-level `operations:` / `moduleRequirements:` key without a Kubernetes `kind:`).
 */
export async function discoverGraphFiles(paths: readonly string[]): Promise<Discovery> {
  const files: string[] = [];
  const skipped: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) await walk(path, files, skipped);
    else files.push(path); // missing files are reported by validation, with the path the user typed
  }
  return { files, skipped };
}

async function walk(dir: string, files: string[], skipped: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) await walk(path, files, skipped);
    } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
      if (await looksLikeGraph(path)) files.push(path);
      else skipped.push(path);
    }
  }
}

const SNIFF_BYTES = 64 * 1024;

async function looksLikeGraph(path: string): Promise<boolean> {
  if (/\.test\.ya?ml$/i.test(path) || /^aio\.ya?ml$/i.test(basename(path))) return false;
  const head = await readHead(path);
  if (/^kind\s*:/m.test(head) && /^apiVersion\s*:/m.test(head)) return false;
  if (GRAPH_NAME.test(basename(path))) return true;
  return /^(operations|moduleRequirements)\s*:/m.test(head);
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
