/**
 * `aio operator test`: runs each operator's own unit tests with its language's runner, no build needed:
 *   TypeScript, JavaScript  *.test.ts / *.test.js bundled with the SDK (esbuild) and run by `node --test`; the
 *                           SDK's testing host stands in for the component host
 *   Rust                    cargo test on the host target (the workspace builds for wasm32-wasip2 otherwise)
 *   Python                  python3 -m unittest over test_*.py, the workspace's Python (its venv's, else PATH's)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAioError } from '../errors.js';
import { listOperators } from '../workspace/find-workspace.js';
import type { Language, OperatorManifest } from '../workspace/operator-manifest.js';
import { BuildFailure, toolchainMissing } from './build-failure.js';
import { sourceFiles } from './build-stamp.js';
import { formatEsbuildMessage, sdkResolver, type EsbuildMessage } from './js-builder.js';
import { RUSTUP } from './rust-builder.js';
import { findPythonTool } from './python-env.js';
import { findOnPath, runTool, type ToolResult } from './run-tool.js';

export interface OperatorTestResult {
  name: string;
  language: Language;
  status: 'passed' | 'failed' | 'no-tests';
  /** What the runner printed. */
  output: string;
  seconds: number;
  error?: { code: string; message: string; hint?: string };
}

export async function testOperators(root: string, names: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<OperatorTestResult[]> {
  const operators = listOperators(root).filter((op) => names.length === 0 || names.includes(op.name));
  const results: OperatorTestResult[] = [];
  for (const op of operators) {
    const started = performance.now();
    const seconds = (): number => Math.round((performance.now() - started) / 10) / 100;
    try {
      const run = await runUnitTests(op, root, env);
      if (run === undefined) results.push({ name: op.name, language: op.language, status: 'no-tests', output: '', seconds: seconds() });
      else
        results.push({
          name: op.name,
          language: op.language,
          status: run.code === 0 ? 'passed' : 'failed',
          output: `${run.stdout}${run.stderr}`,
          seconds: seconds(),
        });
    } catch (error) {
      if (!isAioError(error)) throw error;
      results.push({
        name: op.name,
        language: op.language,
        status: 'failed',
        output: '',
        seconds: seconds(),
        error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
      });
    }
  }
  return results;
}

async function runUnitTests(op: OperatorManifest, root: string, env: NodeJS.ProcessEnv): Promise<ToolResult | undefined> {
  if (op.language === 'rust') {
    if (findOnPath('cargo', env) === undefined) throw toolchainMissing('Rust (cargo)', RUSTUP);
    const host = /^host: (.+)$/m.exec((await runTool('rustc', ['-vV'], { env })).stdout)?.[1];
    return runTool('cargo', ['test', ...(host ? ['--target', host] : [])], { cwd: op.dir, env });
  }
  if (op.language === 'python') {
    const python = findPythonTool('python3', op.dir, root, env);
    if (python === undefined) throw toolchainMissing('Python 3', 'apt-get install -y python3');
    const tests = (await sourceFiles(op.dir)).filter((f) => /(^|\/)test_[^/]*\.py$/.test(f));
    if (tests.length === 0) return undefined;
    return runTool(python, ['-m', 'unittest', 'discover', '-s', '.', '-p', 'test_*.py'], { cwd: op.dir, env });
  }
  const tests = (await sourceFiles(op.dir)).filter((f) => /\.test\.(ts|js|mjs)$/.test(f));
  if (tests.length === 0) return undefined;
  const out = await mkdtemp(join(tmpdir(), 'aio-optest-'));
  try {
    const { build } = await import('esbuild');
    await build({
      entryPoints: tests.map((t) => join(op.dir, t)),
      outdir: out,
      outbase: op.dir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      plugins: [sdkResolver()],
    }).catch((error: { errors?: EsbuildMessage[] }) => {
      const lines = (error.errors ?? []).map(formatEsbuildMessage);
      throw new BuildFailure('AIO_BUILD_COMPILE_ERROR', `${op.name}: the tests do not compile: ${lines.join('; ')}`, lines);
    });
    const bundles = tests.map((t) => join(out, t.replace(/\.(ts|js|mjs)$/, '.mjs')));
    return await runTool(process.execPath, ['--test', ...bundles], { cwd: op.dir, env });
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
