/**
 * TypeScript operators import `aio-graph-cli/sdk`, which `aio build` resolves to its own SDK. Editors need the
 * declarations too: the workspace's tsconfig.json maps the import to `.aio/sdk/`, and this copies aio's SDK
 * declarations there (ignored by git; refreshed by `aio build`).
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SDK_DIR } from '../package-files.js';

export const SDK_TYPES_DIR = join('.aio', 'sdk');

export async function writeSdkTypes(root: string): Promise<void> {
  const target = join(root, SDK_TYPES_DIR);
  const stamp = join(target, '.version');
  const version = (await readdir(SDK_DIR)).sort().join(',') + (await readFile(join(SDK_DIR, 'index.d.ts'), 'utf8')).length;
  if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === version) return;
  await mkdir(join(target, 'engines'), { recursive: true });
  for (const file of (await readdir(SDK_DIR)).filter((f) => f.endsWith('.d.ts'))) await copyFile(join(SDK_DIR, file), join(target, file));
  await writeFile(stamp, version);
}

/** The workspace tsconfig.json: the SDK import mapped to the copied declarations; strict, no emit (aio build bundles). */
export function workspaceTsconfig(): string {
  return `${JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        paths: { 'aio-graph-cli/sdk': ['./.aio/sdk/index.d.ts'], 'aio-graph-cli/sdk/testing': ['./.aio/sdk/testing.d.ts'] },
      },
      include: ['operators/*/src/**/*.ts'],
    },
    null,
    2,
  )}\n`;
}
