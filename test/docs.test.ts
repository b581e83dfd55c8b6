import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXIT_CODE_TABLE } from '../src/errors.js';
import { repoRoot } from './helpers/paths.js';

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

describe('documentation stays true to the code', () => {
  it('documents every diagnostic and error code the source can emit', async () => {
    const docs = await readFile(join(repoRoot, 'docs', 'diagnostics.md'), 'utf8');
    const codes = new Set<string>();
    for (const file of await sourceFiles(join(repoRoot, 'src'))) {
      for (const m of (await readFile(file, 'utf8')).matchAll(/(?<!env\[|env: )'(AIO_[A-Z0-9_]*[A-Z0-9])'/g)) codes.add(m[1]!);
    }
    assert.ok(codes.size > 30, `found only ${codes.size} codes in src`);
    assert.deepEqual([...codes].filter((code) => !docs.includes(`\`${code}\``)).sort(), []);
  });

  it('lists the exit codes in the README exactly as `aio --help` does', async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    for (const [code, meaning] of EXIT_CODE_TABLE) assert.ok(readme.includes(`| ${code} | ${meaning} |`), `README lacks exit code ${code}: ${meaning}`);
  });

  it('names in the README the test command that .ci/run runs', async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    const ci = await readFile(join(repoRoot, '.ci', 'run'), 'utf8');
    assert.match(readme, /npm test/);
    assert.match(ci, /^npm test$/m);
  });
});
