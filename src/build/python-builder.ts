/**
 * Python operators, as the AIO samples build them: `componentize-py -d <wit> -w <kind>-impl componentize <module>`.
 * The module file is `<name>.py` with `class Map(exports.Map)` (or Filter, Branch, …), one operator kind per module.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { WIT_DIR } from '../package-files.js';
import type { OperatorManifest } from '../workspace/operator-manifest.js';
import { BuildFailure, toolchainMissing } from './build-failure.js';
import { findOnPath, runTool } from './run-tool.js';

export const COMPONENTIZE_PY_INSTALL = 'pip install componentize-py==0.14';

export async function pythonToolchain(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (findOnPath('componentize-py', env) === undefined) throw toolchainMissing('componentize-py', COMPONENTIZE_PY_INSTALL);
  const version = await runTool('componentize-py', ['--version'], { env });
  return version.stdout.trim() || version.stderr.trim();
}

export async function buildPython(op: OperatorManifest, env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array> {
  if (op.kinds.length !== 1 || op.entry === undefined) {
    throw new BuildFailure(
      'AIO_BUILD_PYTHON_OPERATOR_UNKNOWN',
      `${op.name}: expected one operator class (class Map(exports.Map), Filter, Branch, Accumulate or Delay) in ${op.entry ?? `${op.name}.py`}, found ${op.kinds.length}`,
      [],
      'Define exactly one operator class per Python module, or list it in operator.json: {"operators": ["map"]}.',
    );
  }
  const out = await mkdtemp(join(tmpdir(), 'aio-py-'));
  try {
    const file = join(out, `${op.name}.wasm`);
    const module = basename(op.entry, '.py');
    const args = ['-d', WIT_DIR, '-w', `${op.kinds[0]}-impl`, 'componentize', module, '-p', op.dir, '-o', file];
    const result = await runTool('componentize-py', args, { cwd: op.dir, env });
    if (result.code !== 0) {
      const lines = `${result.stderr}\n${result.stdout}`
        .split('\n')
        .map((l) => l.trimEnd())
        .filter((l) => l !== '');
      // Python tracebacks name files as `File "/abs/path.py", line N`: show them as path:line.
      const located = lines.map((l) =>
        l.replace(/File "([^"]+)", line (\d+)/, (_m, path: string, line: string) => `${relative(process.cwd(), resolve(op.dir, path))}:${line}`),
      );
      throw new BuildFailure('AIO_BUILD_COMPILE_ERROR', `${op.name}: componentize-py failed`, located.slice(-30));
    }
    return await readFile(file);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
