/**
 * #29.6, #30.9: `aio emulate --data` killed with SIGKILL half-way leaves an output that cannot be read as a
 * finished run's: it keeps its `.partial` name, and a rerun reads only the data files and writes a complete output.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { useSharedCache } from '../helpers/components.js';
import { eventually } from '../helpers/examples.js';
import { looksLikeStackTrace, runMeasured } from '../helpers/measured-cli.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, hostileWorkspace } from './hostile-workspace.js';

describe('a data-folder run killed half-way', () => {
  before(() => useSharedCache());

  it('leaves a .partial output, and the rerun reads only the data and finishes a whole output', async () => {
    await withTempDir(async (dir) => {
      // 300 good items, then one that never returns (a 60 s deadline): the run is caught mid-way, output written.
      const payloads = [...Array.from({ length: 300 }, (_, i) => `ok-${i}`), 'loop', 'ok-last'];
      const graph = await hostileWorkspace(dir, payloads);
      const outputDir = join(dir, 'data', 'output');
      let pid = 0;
      const args = ['emulate', graph, '--data', join(dir, 'data'), '--modules', MODULES];
      const killed = runMeasured([...args, '--call-deadline', '60s'], { cwd: dir, killAfterMs: 90_000, onStart: (p) => (pid = p) });
      await eventually(
        async () => {
          const partial = (await readdir(outputDir).catch(() => [] as string[])).find((name) => name.endsWith('.txt.partial'));
          return partial !== undefined && (await stat(join(outputDir, partial))).size > 0;
        },
        'output written',
        60_000,
      );
      process.kill(pid, 'SIGKILL');
      const run = await killed;
      assert.equal(run.code, 137, run.stderr);
      const left = await readdir(outputDir);
      assert.deepEqual(
        left.filter((name) => name.endsWith('.txt')),
        [],
        `a killed run leaves no finished-looking output: ${left.join(', ')}`,
      );
      assert.equal(left.filter((name) => name.endsWith('.txt.partial')).length, 1);

      const rerun = await runMeasured([...args, '--call-deadline', '1s', '--json'], { cwd: dir, killAfterMs: 90_000 });
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.ok(!looksLikeStackTrace(rerun.stderr), rerun.stderr);
      assert.equal((JSON.parse(rerun.stdout) as { inputFiles: number }).inputFiles, payloads.length, 'only the data files are input');
      const finished = (await readdir(outputDir)).filter((name) => name.endsWith('.txt'));
      assert.equal(finished.length, 1);
      const lines = (await readFile(join(outputDir, finished[0]!), 'utf8')).split('\n');
      assert.equal(lines.pop(), '', 'the output ends with a whole line');
      assert.deepEqual(
        lines.map((line) => (JSON.parse(line) as { payload: string }).payload),
        payloads.filter((p) => p !== 'loop'),
      );
      assert.ok(rerun.elapsedMs < 60_000, `rerun took ${rerun.elapsedMs} ms`);
      assert.ok(rerun.peakMiB < 400, `peak memory ${Math.round(rerun.peakMiB)} MiB`);
    });
  });
});
