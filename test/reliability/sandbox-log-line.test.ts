/**
 * #30.7: a module that writes to stdout without a newline costs bounded memory. Its line is cut at
 * MAX_MODULE_LINE_CHARS and logged with a note; the rest up to the next newline is dropped.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { MAX_MODULE_LINE_CHARS } from '../../src/wasm/wasi-sandbox.js';
import { useSharedCache } from '../helpers/components.js';
import { looksLikeStackTrace, runMeasured } from '../helpers/measured-cli.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, hostileWorkspace } from './hostile-workspace.js';

describe('a module writing without a newline', () => {
  before(() => useSharedCache());

  it('has its 128 MiB line cut at the cap, and the run’s memory stays bounded', async () => {
    await withTempDir(async (dir) => {
      const graph = await hostileWorkspace(dir, ['loud', 'after'], 'stdio-probe');
      const run = await runMeasured(['emulate', graph, '--data', join(dir, 'data'), '--modules', MODULES, '--json'], { cwd: dir, killAfterMs: 120_000 });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
      const summary = JSON.parse(run.stdout) as { operations: Array<{ operation: string; out: number; errors: number }> };
      assert.deepEqual(
        summary.operations.filter((o) => o.operation === 'm/map').map((o) => [o.out, o.errors]),
        [[2, 0]],
      );
      const log = await readFile(join(dir, 'data', 'output', 'logs', 'host-app.log'), 'utf8');
      const cut = log.split('\n').filter((line) => line.includes(`[line cut at ${MAX_MODULE_LINE_CHARS} characters]`));
      assert.equal(cut.length, 1, `one cut line expected in a log of ${log.length} characters`);
      assert.match(cut[0]!, new RegExp(`stdout: x{${MAX_MODULE_LINE_CHARS}} \\[line cut`));
      assert.ok(log.length < 2 * MAX_MODULE_LINE_CHARS, `log of ${log.length} characters`);
      assert.ok(run.peakMiB < 300, `peak memory ${Math.round(run.peakMiB)} MiB`);
      assert.ok(run.elapsedMs < 60_000, `took ${run.elapsedMs} ms`);
    });
  });
});
