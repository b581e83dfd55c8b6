/**
 * #30.9, #29.5: `${A:-x${B}}` expands as a shell does (it was the literal `x${B}`), a value holding `${…}` is not
 * expanded again (so variables cannot chain or loop), and defaults nested beyond the limit are a clear error.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { MAX_VARIABLE_NESTING } from '../../src/util/variables.js';
import { useSharedCache } from '../helpers/components.js';
import { looksLikeStackTrace, runMeasured, type MeasuredRun } from '../helpers/measured-cli.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, hostileWorkspace } from './hostile-workspace.js';

/** Runs the workspace's graph with its module reference written as `reference` (`misbehaving` once filled). */
async function runWithReference(dir: string, reference: string, env: NodeJS.ProcessEnv): Promise<MeasuredRun> {
  const graph = await hostileWorkspace(dir, ['one']);
  await writeFile(graph, (await readFile(graph, 'utf8')).replace('module: "misbehaving:1.0.0"', `module: "${reference}:1.0.0"`));
  const run = await runMeasured(['emulate', graph, '--data', join(dir, 'data'), '--modules', MODULES, '--json'], { cwd: dir, env, killAfterMs: 60_000 });
  assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
  assert.ok(run.elapsedMs < 30_000, `took ${run.elapsedMs} ms`);
  assert.ok(run.peakMiB < 400, `peak memory ${Math.round(run.peakMiB)} MiB`);
  return run;
}

describe('variables in a graph', () => {
  before(() => useSharedCache());

  it('a default holding a variable expands it', async () => {
    await withTempDir(async (dir) => {
      const run = await runWithReference(dir, '${MODULE:-misbehav${SUFFIX}}', { SUFFIX: 'ing' });
      assert.equal(run.code, 0, run.stderr);
      assert.equal((JSON.parse(run.stdout) as { sinkMessages: number }).sinkMessages, 1);
    });
  });

  it('a value holding ${…} is inserted as it is, not expanded again', async () => {
    await withTempDir(async (dir) => {
      const run = await runWithReference(dir, '${CHAINED}', { CHAINED: '${TARGET}', TARGET: 'misbehaving' });
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stdout + run.stderr, /\$\{TARGET\}/);
    });
  });

  it(`defaults nested deeper than ${MAX_VARIABLE_NESTING} levels are refused with AIO_VARIABLE_TOO_DEEP`, async () => {
    await withTempDir(async (dir) => {
      const levels = MAX_VARIABLE_NESTING + 2;
      const run = await runWithReference(dir, `${'${X:-'.repeat(levels)}misbehaving${'}'.repeat(levels)}`, {});
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stdout, /"code": "AIO_VARIABLE_TOO_DEEP"/);
    });
  });
});
