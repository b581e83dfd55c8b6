/**
 * The files of a new operator, from `templates/<language>/<kind>/` (and `templates/<language>/_common/`), with
 * `{{name}}` replaced in paths and contents, plus the operator.json `aio build` reads. Paths are relative to the
 * workspace: the operator's own files under `operators/<name>/`, and files every operator of the language shares
 * at the root (`.cargo/config.toml`, as in the AIO samples) in `shared`.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { TEMPLATES_DIR } from '../package-files.js';
import { OPERATORS_DIR } from '../workspace/find-workspace.js';
import type { Language, OperatorKind } from '../workspace/operator-manifest.js';

export type FileSet = Map<string, string>;

/** Template files that belong at the workspace root, written once for all operators of their language. */
const SHARED_FILES = new Set([join('.cargo', 'config.toml')]);

export async function operatorFiles(name: string, language: Language, kind: OperatorKind): Promise<{ own: FileSet; shared: FileSet }> {
  const own: FileSet = new Map();
  const shared: FileSet = new Map();
  for (const dir of [join(TEMPLATES_DIR, language, '_common'), join(TEMPLATES_DIR, language, kind)]) {
    for (const file of await listFiles(dir)) {
      const text = fill(await readFile(join(dir, file), 'utf8'), name);
      const path = fill(file, name);
      if (SHARED_FILES.has(path)) shared.set(path, text);
      else own.set(join(OPERATORS_DIR, name, path), text);
    }
  }
  const entry = language === 'typescript' ? 'src/index.ts' : language === 'javascript' ? 'src/index.js' : language === 'python' ? `${name}.py` : undefined;
  own.set(join(OPERATORS_DIR, name, 'operator.json'), `${JSON.stringify({ language, operators: [kind], ...(entry ? { entry } : {}) }, null, 2)}\n`);
  return { own, shared };
}

function fill(text: string, name: string): string {
  return text.replaceAll('{{name}}', name);
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path, base)));
    else files.push(relative(base, path));
  }
  return files.sort();
}
