/**
 * #30.4: a module gets an empty standard input. `aio`'s own stdin may carry a password (`--password-stdin`) or a
 * pipeline's data; a module that reads `wasi:cli/stdin` must see its end at once, never the host's bytes.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { useSharedCache } from '../helpers/components.js';
import { looksLikeStackTrace, runMeasured } from '../helpers/measured-cli.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, hostileWorkspace } from './hostile-workspace.js';

describe('a module reading standard input', () => {
  before(() => useSharedCache());

  it('sees an empty stdin even when aio is fed a secret on its own', async () => {
    await withTempDir(async (dir) => {
      const graph = await hostileWorkspace(dir, ['read', 'read again'], 'stdio-probe');
      const run = await runMeasured(['emulate', graph, '--data', join(dir, 'data'), '--modules', MODULES], {
        cwd: dir,
        input: 'SECRET-FROM-STDIN\n',
        killAfterMs: 60_000,
      });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
      const outputDir = join(dir, 'data', 'output');
      const [file] = (await readdir(outputDir)).filter((name) => name.endsWith('.txt'));
      const output = await readFile(join(outputDir, file!), 'utf8');
      assert.doesNotMatch(output + run.stdout + run.stderr, /SECRET/);
      const payloads = output
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { payload: string }).payload);
      assert.deepEqual(payloads, ['closed', 'closed']);
      assert.ok(run.elapsedMs < 30_000, `took ${run.elapsedMs} ms`);
      assert.ok(run.peakMiB < 400, `peak memory ${Math.round(run.peakMiB)} MiB`);
    });
  });
});
