/**
 * Python operators for real: every Python template built by `aio build` with componentize-py (the version the AIO
 * samples pin), then inspected, emulated, tested and unit-tested through the real CLI, as a new user would.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { buildJson, sinkPayloads } from '../helpers/workspace-run.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { itWithTool } from '../helpers/needs-tool.js';
import { findOnPath } from '../../src/build/run-tool.js';
import { COMPONENTIZE_PY_INSTALL, COMPONENTIZE_PY_VERSION } from '../../src/build/python-builder.js';

const missing = findOnPath('componentize-py') === undefined && `componentize-py is not installed (${COMPONENTIZE_PY_INSTALL})`;

describe('Python: aio init → operator new (every type) → build → inspect → emulate → test', () => {
  let ws: string;
  before(async () => {
    if (missing) return;
    const parent = await makeTempDir();
    ws = join(parent, 'py');
    const init = await runCli(['init', 'py', '--lang', 'python', '--operator', 'conv', '--type', 'map'], { cwd: parent });
    assert.equal(init.code, 0, init.stderr);
    for (const kind of ['filter', 'branch', 'delay', 'accumulate']) {
      const added = await runCli(['operator', 'new', `w${kind}`, '--type', kind, '--add-to-graph'], { cwd: ws });
      assert.equal(added.code, 0, added.stderr);
    }
  });

  itWithTool(`builds every template with componentize-py ${COMPONENTIZE_PY_VERSION}, each exporting its interface`, missing, async () => {
    const version = execFileSync('componentize-py', ['--version'], { encoding: 'utf8' });
    assert.match(version, new RegExp(COMPONENTIZE_PY_VERSION.replaceAll('.', '\\.')), 'the pinned version is the one tested');
    const report = await buildJson(ws);
    assert.equal(report.ok, true, JSON.stringify(report.operators.map((o) => o.error)));
    assert.deepEqual(
      report.operators.map((o) => [o.name, o.language, o.status, o.exports]),
      [
        ['conv', 'python', 'built', ['map']],
        ['waccumulate', 'python', 'built', ['accumulate']],
        ['wbranch', 'python', 'built', ['branch']],
        ['wdelay', 'python', 'built', ['delay']],
        ['wfilter', 'python', 'built', ['filter']],
      ],
    );
    for (const op of report.operators) {
      const inspect = await runCli(['module', 'inspect', join(ws, op.file), '--json']);
      assert.equal(inspect.code, 0, inspect.stdout);
      const world = JSON.parse(inspect.stdout) as { operators: string[]; runnable: boolean; size: number; imports: Array<{ name: string }> };
      assert.deepEqual(world.operators, op.exports);
      assert.equal(world.runnable, true);
      assert.equal(world.size, op.size);
      const imports = world.imports.map((i) => i.name);
      assert.ok(imports.includes('wasm-graph:processor/logger'), imports.join(' '));
      assert.ok(imports.includes('wasi:cli/environment'), 'componentize-py modules import WASI 0.2');
    }
  });

  itWithTool('emulates the chain on data/, logs from Python reach the run log, and aio test passes', missing, async () => {
    const emulate = await runCli(['emulate', '--data', 'data'], { cwd: ws });
    assert.equal(emulate.code, 0, emulate.stderr);
    // conv scales 42 by 2; the filter keeps it (≤ 100), the branch sends it to True (> 50), delay and accumulate fold it.
    assert.deepEqual(await sinkPayloads(join(ws, 'data')), [{ count: 1, min: 84.0, max: 84.0, sum: 84.0, average: 84.0 }]);
    const log = await readFile(join(ws, 'data', 'output', 'logs', 'host-app.log'), 'utf8');
    assert.match(log, /INFO +\[module-conv\/map\] conv: scaling values by 2\.0/);
    assert.match(log, /\[module-wdelay\/delay\] wdelay: windows of 10 s/);
    // The generated test expects conv's output at the sink; with the chain wired in, the sink sees the fold.
    const stale = await runCli(['test'], { cwd: ws });
    assert.equal(stale.code, 3, stale.stdout + stale.stderr);
    await writeFile(join(ws, 'tests', 'conv.expected.json'), JSON.stringify([{ payload: { count: 1, min: 84, max: 84, sum: 84, average: 84 } }]));
    const test = await runCli(['test'], { cwd: ws });
    assert.equal(test.code, 0, test.stdout + test.stderr);
    assert.match(test.stdout, /1 passed, 0 failed/);
  });

  itWithTool("runs each template's unit tests with the workspace's Python (its venv before PATH's)", missing, async () => {
    const unit = await runCli(['operator', 'test', '--json'], { cwd: ws });
    assert.equal(unit.code, 0, unit.stdout);
    const results = (JSON.parse(unit.stdout) as { operators: Array<{ name: string; status: string }> }).operators;
    assert.deepEqual(
      results.map((r) => [r.name, r.status]),
      [
        ['conv', 'passed'],
        ['waccumulate', 'passed'],
        ['wbranch', 'passed'],
        ['wdelay', 'passed'],
        ['wfilter', 'passed'],
      ],
    );
    // A venv in the workspace root: its interpreter, not PATH's, runs the tests.
    execFileSync('python3', ['-m', 'venv', '--without-pip', join(ws, '.venv')]);
    const probe = join(ws, 'operators', 'conv', 'test_interpreter.py');
    await writeFile(
      probe,
      `import os, sys, unittest\n\nclass Interpreter(unittest.TestCase):\n    def test_venv(self):\n        self.assertEqual(os.path.realpath(sys.prefix), os.path.realpath(${JSON.stringify(join(ws, '.venv'))}))\n`,
    );
    try {
      const inVenv = await runCli(['operator', 'test', 'conv', '--json'], { cwd: ws });
      assert.equal(inVenv.code, 0, inVenv.stdout);
      assert.match(inVenv.stdout, /Ran 2 tests/);
    } finally {
      await rm(probe);
      await rm(join(ws, '.venv'), { recursive: true });
    }
  });

  itWithTool('rebuilds nothing unchanged; a debug build goes to bin/debug and runs the same', missing, async () => {
    const again = await buildJson(ws);
    assert.deepEqual(
      again.operators.map((o) => o.status),
      ['up-to-date', 'up-to-date', 'up-to-date', 'up-to-date', 'up-to-date'],
    );
    const debug = await buildJson(ws, ['conv', '--debug']);
    assert.deepEqual(
      debug.operators.map((o) => [o.name, o.status, o.file, o.exports]),
      [['conv', 'built', join('operators', 'conv', 'bin', 'debug', 'conv.wasm'), ['map']]],
    );
    assert.ok(existsSync(join(ws, 'operators', 'conv', 'bin', 'debug', 'conv.wasm')));
  });

  itWithTool('a Python syntax error is shown at its file and line, without a backtrace, and the others still build', missing, async () => {
    const source = join(ws, 'operators', 'wfilter', 'wfilter.py');
    const original = await readFile(source, 'utf8');
    await writeFile(source, original.replace('class Filter(exports.Filter):', 'class Filter(exports.Filter)'));
    try {
      const result = await runCli(['build', '--force', 'wfilter', 'conv'], { cwd: ws });
      assert.equal(result.code, 3, result.stdout + result.stderr);
      assert.match(result.stderr, /error AIO_BUILD_COMPILE_ERROR: wfilter: componentize-py failed/);
      const line = original.split('\n').findIndex((l) => l.startsWith('class Filter(')) + 1;
      assert.match(result.stderr, new RegExp(`operators/wfilter/wfilter\\.py:${line}\\b`));
      assert.match(result.stderr, /SyntaxError: expected ':'/);
      assert.doesNotMatch(result.stderr, /Stack backtrace|sys\.exit\(script\(\)\)/);
      assert.match(result.stdout, /FAILED: 1 built, 0 up to date, 1 failed/);
    } finally {
      await writeFile(source, original);
    }
  });
});
