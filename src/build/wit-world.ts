/**
 * The WIT a JavaScript or Python operator is built against: the package's own files plus, for an operator module,
 * a world exporting exactly the operator interfaces it implements and importing every host service.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WIT_DIR } from '../package-files.js';

export const OPERATOR_WORLD = 'aio-operator';

/** The host services every operator world imports (what the cluster and `aio emulate` provide). */
const HOST_IMPORTS = ['state-store', 'logger', 'metrics', 'schema-registry'];

export function operatorWorld(kinds: readonly string[], name = OPERATOR_WORLD): string {
  return `world ${name} {\n${HOST_IMPORTS.map((i) => `  import ${i};\n`).join('')}${kinds.map((k) => `  export %${k};\n`).join('')}}\n`;
}

/** The WIT package's text (for fingerprints). */
export async function witText(): Promise<string> {
  const files = (await readdir(WIT_DIR)).filter((f) => f.endsWith('.wit')).sort();
  return (await Promise.all(files.map((f) => readFile(join(WIT_DIR, f), 'utf8')))).join('\n');
}

/** A temporary WIT folder: the package's files plus `extraWit` (worlds) in the same package. Removed by `dispose`. */
export async function witFolderWith(extraWit: string): Promise<{ dir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'aio-wit-'));
  for (const file of (await readdir(WIT_DIR)).filter((f) => f.endsWith('.wit'))) await writeFile(join(dir, file), await readFile(join(WIT_DIR, file)));
  await writeFile(join(dir, 'zz-aio-build.wit'), `package wasm-graph:processor@1.1.0;\n\n${extraWit}`);
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
