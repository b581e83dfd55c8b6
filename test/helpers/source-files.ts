import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every TypeScript source under `dir` (declarations and tests left out), for tests that read the code itself. */
export async function typeScriptSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await typeScriptSources(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}
