/**
 * The workspace's Python: a virtual environment in the operator's folder or the workspace root (`.venv` or `venv`,
 * as `python -m venv` makes them) wins over PATH, so `aio build` and `aio operator test` use the componentize-py and
 * the packages the user installed for this workspace. aio installs nothing itself.
 */
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { findOnPath } from './run-tool.js';

const VENV_NAMES = ['.venv', 'venv'];

/** Where to look, nearest first: the operator's folder up to the workspace root, then PATH. */
export function pythonSearchPath(operatorDir: string, root: string, env: NodeJS.ProcessEnv = process.env): string {
  const dirs: string[] = [];
  for (let current = resolve(operatorDir); ; current = dirname(current)) {
    for (const name of VENV_NAMES) dirs.push(join(current, name, 'bin'));
    if (current === resolve(root) || relative(resolve(root), current).startsWith('..') || dirname(current) === current) break;
  }
  return [...dirs, env['PATH'] ?? ''].join(delimiter);
}

/** The executable `command` as the workspace sees it (a venv's first), or undefined when there is none. */
export function findPythonTool(command: string, operatorDir: string, root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findOnPath(command, { ...env, PATH: pythonSearchPath(operatorDir, root, env) });
}
