/**
 * The files of a new operator, from `templates/<language>/<kind>/` (and `templates/<language>/_common/`), with
 * `{{name}}` replaced in paths and contents, plus the operator.json `aio build` reads.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { TEMPLATES_DIR } from '../package-files.js';
import type { Language, OperatorKind } from '../workspace/operator-manifest.js';

export type FileSet = Map<string, string>;

export async function operatorFiles(name: string, language: Language, kind: OperatorKind): Promise<FileSet> {
  const files: FileSet = new Map();
  for (const dir of [join(TEMPLATES_DIR, language, '_common'), join(TEMPLATES_DIR, language, kind)]) {
    for (const file of await listFiles(dir)) {
      const text = await readFile(join(dir, file), 'utf8');
      files.set(fill(file, name), fill(text, name));
    }
  }
  const entry = language === 'typescript' ? 'src/index.ts' : language === 'javascript' ? 'src/index.js' : language === 'python' ? `${name}.py` : undefined;
  files.set('operator.json', `${JSON.stringify({ language, operators: [kind], ...(entry ? { entry } : {}) }, null, 2)}\n`);
  return files;
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
