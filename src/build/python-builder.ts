/**
 * Python operators, as the AIO samples build them: `componentize-py -d <wit> -w <kind>-impl componentize <module>`.
 * The module file is `<name>.py` with `class Map(exports.Map)` (or Filter, Branch, …), one operator kind per module.
 * componentize-py is the workspace's (a venv's, else PATH's); a debug build is the same component written to
 * bin/debug: the AIO tooling's remote-debugger hook needs a debug adapter in the cluster's host, which aio has not.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { WIT_DIR } from '../package-files.js';
import type { OperatorManifest } from '../workspace/operator-manifest.js';
import { BuildFailure, toolchainMissing } from './build-failure.js';
import { findPythonTool } from './python-env.js';
import { runTool } from './run-tool.js';

/** The version the AIO samples' builder pins; every Python template builds and runs with it (test/build/python.test.ts). */
export const COMPONENTIZE_PY_VERSION = '0.14.0';
export const COMPONENTIZE_PY_INSTALL = `pip install componentize-py==${COMPONENTIZE_PY_VERSION}`;

/** componentize-py's path and version as the operator's workspace sees it; throws, naming the install, when missing. */
export async function pythonToolchain(op: OperatorManifest, root: string, env: NodeJS.ProcessEnv = process.env): Promise<{ path: string; version: string }> {
  const path = findPythonTool('componentize-py', op.dir, root, env);
  if (path === undefined) throw toolchainMissing('componentize-py', COMPONENTIZE_PY_INSTALL);
  const result = await runTool(path, ['--version'], { env });
  return { path, version: result.stdout.trim() || result.stderr.trim() };
}

export async function buildPython(op: OperatorManifest, root: string, env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array> {
  if (op.kinds.length !== 1 || op.entry === undefined) {
    throw new BuildFailure(
      'AIO_BUILD_PYTHON_OPERATOR_UNKNOWN',
      `${op.name}: expected one operator class (class Map(exports.Map), Filter, Branch, Accumulate or Delay) in ${op.entry ?? `${op.name}.py`}, found ${op.kinds.length}`,
      [],
      'Define exactly one operator class per Python module, or list it in operator.json: {"operators": ["map"]}.',
    );
  }
  const { path: componentizePy } = await pythonToolchain(op, root, env);
  const out = await mkdtemp(join(tmpdir(), 'aio-py-'));
  try {
    const file = join(out, `${op.name}.wasm`);
    const module = basename(op.entry, '.py');
    const args = ['-d', WIT_DIR, '-w', `${op.kinds[0]}-impl`, 'componentize', module, '-p', op.dir, '-o', file];
    // RUST_BACKTRACE=0: componentize-py is Rust inside; a user's syntax error must not come with its stack backtrace.
    const result = await runTool(componentizePy, args, { cwd: op.dir, env: { ...env, RUST_BACKTRACE: '0', RUST_LIB_BACKTRACE: '0' } });
    if (result.code !== 0) {
      throw new BuildFailure(
        'AIO_BUILD_COMPILE_ERROR',
        `${op.name}: componentize-py failed`,
        componentizePyLines(`${result.stderr}\n${result.stdout}`, op.dir),
      );
    }
    return await readFile(file);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/**
 * componentize-py's report as lines, each Python location as path:line relative to where aio runs. The tool wraps
 * the user's error in a traceback of its own launcher script (`sys.exit(script())`), dropped here; it names the
 * folder given with `-p` as `/0/`.
 */
export function componentizePyLines(output: string, dir: string): string[] {
  const lines = output
    .replace(/Traceback \(most recent call last\):\n\s+File "[^"]*componentize-py", line \d+, in <module>\n\s+sys\.exit\(script\(\)\)\n\s+\^+\n/, '')
    .split('\n')
    .map((l) => l.trimEnd().replace(/^AssertionError: +(?=File ")/, ''))
    .filter((l) => l !== '');
  return lines
    .map((l) =>
      l.replace(/File "([^"]+)", line (\d+)(, in .*)?/, (_m, path: string, line: string) => {
        const local = path.startsWith('/0/') ? resolve(dir, path.slice(3)) : resolve(dir, path);
        return `${relative(process.cwd(), local)}:${line}`;
      }),
    )
    .slice(-30);
}
