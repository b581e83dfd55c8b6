import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SKIPPED_DIRS } from '../graph/discover.js';

/** The AIO descriptor format (`*.test.yaml`) and aio's own (`*.cases.yaml`). */
const TEST_FILE = /\.(test|cases)\.ya?ml$/i;

/** `*.test.yaml` and `*.cases.yaml` files under the given files and folders, in a stable order. */
export async function discoverTests(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) await walk(path, found);
    else found.push(path); // a missing file is reported when it is read, with the path the user typed
  }
  return found;
}

async function walk(dir: string, found: string[]): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true }).catch(() => [])).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) await walk(path, found);
    else if (entry.isFile() && TEST_FILE.test(entry.name)) found.push(path);
  }
}
