/** Writes a set of new files under a root, refusing (before writing anything) when any of them exists. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { AioError } from '../errors.js';

export async function writeNewFiles(root: string, files: ReadonlyMap<string, string>, what: string): Promise<string[]> {
  const existing = [...files.keys()].filter((file) => existsSync(join(root, file)));
  if (existing.length > 0) {
    const shown = existing.slice(0, 5).map((f) => relative(process.cwd(), join(root, f)) || f);
    throw new AioError(
      'AIO_SCAFFOLD_FILES_EXIST',
      `${what} would overwrite ${existing.length} existing file(s): ${shown.join(', ')}${existing.length > 5 ? ', …' : ''}`,
      {
        hint: 'Nothing was written. Choose another folder or name, or move those files away.',
      },
    );
  }
  for (const [file, content] of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), content);
  }
  return [...files.keys()];
}
