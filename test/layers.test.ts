/**
 * The house's layers, lowest first. A module may import from its own layer or any below it, never from above: the
 * graph model knows nothing of the emulator, the registry nothing of deployment, services nothing of commands. The
 * README's layer picture is this table.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './helpers/paths.js';
import { typeScriptSources } from './helpers/source-files.js';

export const LAYERS: ReadonlyArray<readonly string[]> = [
  ['errors.ts', 'error-catalog.ts', 'error-codes.ts', 'diagnostics.ts', 'findings-error.ts', 'package-files.ts', 'types', 'util', 'files', 'yaml'],
  ['graph', 'sdk'],
  ['engine', 'builtins'],
  ['wasm', 'project', 'workspace', 'pipeline'],
  ['registry'],
  ['run', 'build', 'scaffold', 'mqtt', 'deploy'],
  ['emulator', 'testing', 'record'],
  ['cli'],
  ['commands'],
];

const src = join(repoRoot, 'src');

function layerOf(file: string): number {
  const room = relative(src, file).split('/')[0]!.replace(/\.js$/, '.ts');
  const index = LAYERS.findIndex((rooms) => rooms.includes(room));
  if (index === -1) throw new Error(`src/${room} is in no layer: add it to LAYERS in test/layers.test.ts and the README`);
  return index;
}

describe('layers', () => {
  it('no module imports from a layer above its own (static, dynamic and type imports alike)', async () => {
    const violations: string[] = [];
    for (const file of await typeScriptSources(src)) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)'/g)) {
        const target = resolve(dirname(file), match[1]!);
        if (layerOf(target) > layerOf(file)) violations.push(`${relative(repoRoot, file)} imports ${relative(repoRoot, target)}`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it('every room of src/ is in the README’s layer picture', async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    for (const rooms of LAYERS) for (const room of rooms) assert.ok(readme.includes(`src/${room.replace(/\.ts$/, '')}`), `README lacks src/${room}`);
  });
});
