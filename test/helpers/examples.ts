import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** A copy of an example workspace (graph, workspace files, built operators; not earlier output) in `dir`. */
export async function copyExample(name: string, dir: string): Promise<string> {
  await cp(join(repoRoot, 'examples', name), dir, { recursive: true, filter: (src) => !src.includes(join('data', 'output')) });
  return dir;
}

/** Waits for `condition`, failing with `what` after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
