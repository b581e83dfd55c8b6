/**
 * #30.2, #29.6: a full disk while a data-folder run writes its output or its log ends the run with
 * AIO_OUTPUT_WRITE_FAILED naming the file (exit 4), never an unhandled stream error; the output keeps only whole
 * lines and its `.partial` name, so it cannot be taken for a finished run's.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { useSharedCache } from '../helpers/components.js';
import { looksLikeStackTrace, runMeasured } from '../helpers/measured-cli.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, hostileWorkspace } from './hostile-workspace.js';
import { fillDisk, withSmallDisk } from './small-disk.js';

describe('a full disk', () => {
  before(() => useSharedCache());

  it('while writing the output: AIO_OUTPUT_WRITE_FAILED with the path, exit 4, only whole lines kept under .partial', async () => {
    await withSmallDisk(1024, async (disk) => {
      const payloads = Array.from({ length: 60 }, (_, i) => `${String(i).padStart(3, '0')} ${'p'.repeat(3900)}`);
      const graph = await hostileWorkspace(disk, payloads);
      await mkdir(join(disk, 'data', 'output'), { recursive: true });
      // The log on a disk with room (the next test fills the log's disk): here only the output's disk is full.
      const logs = await mkdtemp(join(tmpdir(), 'aio-logs-'));
      await symlink(logs, join(disk, 'data', 'output', 'logs'));
      await fillDisk(disk, 64);
      const run = await runMeasured(['emulate', graph, '--data', join(disk, 'data'), '--modules', MODULES], { cwd: disk, killAfterMs: 60_000 });
      assert.equal(run.code, 4, run.stderr);
      assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
      await rm(logs, { recursive: true, force: true });
      assert.match(run.stderr, /AIO_OUTPUT_WRITE_FAILED: cannot write the output file \S+\.txt\.partial: the disk is full \(ENOSPC\)/);
      const outputs = await readdir(join(disk, 'data', 'output'));
      assert.deepEqual(
        outputs.filter((name) => name.endsWith('.txt')),
        [],
        'no file that reads as a finished run',
      );
      const partial = outputs.find((name) => name.endsWith('.txt.partial'));
      assert.ok(partial, `an unfinished output file: ${outputs.join(', ')}`);
      assert.ok(run.stderr.includes(join(disk, 'data', 'output', partial)), run.stderr);
      const text = await readFile(join(disk, 'data', 'output', partial), 'utf8');
      assert.ok(text === '' || text.endsWith('\n'), 'the output ends with a whole line');
      const lines = text.split('\n').filter((line) => line !== '');
      assert.ok(lines.length < payloads.length, `${lines.length} lines fit`);
      for (const [i, line] of lines.entries()) assert.equal((JSON.parse(line) as { payload: string }).payload, payloads[i]);
      assert.ok(run.elapsedMs < 30_000, `took ${run.elapsedMs} ms`);
      assert.ok(run.peakMiB < 400, `peak memory ${Math.round(run.peakMiB)} MiB`);
    });
  });

  it('while writing the log: AIO_OUTPUT_WRITE_FAILED naming the log, exit 4', async () => {
    await withTempDir(async (dir) => {
      const graph = await hostileWorkspace(dir, ['trap', 'ok']);
      await mkdir(join(dir, 'data', 'output', 'logs'), { recursive: true });
      // /dev/full answers every write with ENOSPC: the log's disk is full from the first line.
      await symlink('/dev/full', join(dir, 'data', 'output', 'logs', 'host-app.log'));
      const run = await runMeasured(['emulate', graph, '--data', join(dir, 'data'), '--modules', MODULES], { cwd: dir, killAfterMs: 60_000 });
      assert.equal(run.code, 4, run.stderr);
      assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
      assert.match(run.stderr, /AIO_OUTPUT_WRITE_FAILED: cannot write the run log \S*host-app\.log: the disk is full \(ENOSPC\)/);
      assert.ok(run.elapsedMs < 30_000, `took ${run.elapsedMs} ms`);
      assert.ok(run.peakMiB < 400, `peak memory ${Math.round(run.peakMiB)} MiB`);
    });
  });
});
