/**
 * A workspace is the folder the AIO tooling works in: `graph.dataflow.yaml` (or another graph), `operators/<name>/`,
 * `data/`, `tests/`, and for aio an `aio.yaml`. Commands run anywhere inside it find its root by walking up.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AioError } from '../errors.js';
import { readOperatorManifest, type OperatorManifest } from './operator-manifest.js';

export const OPERATORS_DIR = 'operators';

/** The nearest folder at or above `start` with `aio.yaml` or an `operators/` folder. */
export function findWorkspaceRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'aio.yaml')) || isDir(join(dir, OPERATORS_DIR))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new AioError('AIO_WORKSPACE_NOT_FOUND', `no aio workspace at or above ${resolve(start)} (no aio.yaml and no operators/ folder)`, {
    hint: 'Run this inside a workspace, pass --workspace <dir>, or create one with `aio init`.',
  });
}

/** Every operator folder of the workspace, by name. */
export function listOperators(root: string): OperatorManifest[] {
  const dir = join(root, OPERATORS_DIR);
  if (!isDir(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => readOperatorManifest(join(dir, name)));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
