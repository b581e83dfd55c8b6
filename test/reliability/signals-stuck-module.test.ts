/**
 * #30.6: the second interrupt always ends the run, even while a module loops on the main thread (no call
 * deadline, or --inspect), where Node.js cannot run a signal handler. The supervisor process hears the signals.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { useSharedCache } from '../helpers/components.js';
import { childPid, looksLikeStackTrace, runMeasured } from '../helpers/measured-cli.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, hostileWorkspace } from './hostile-workspace.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function interruptTwiceWhileStuck(limitFlags: string[]): Promise<void> {
  await withTempDir(async (dir) => {
    const graph = await hostileWorkspace(dir, ['ok', 'loop', 'never reached']);
    let pid = 0;
    let loaded: () => void = () => {};
    const moduleLoaded = new Promise<void>((resolve) => (loaded = resolve));
    const running = runMeasured(['emulate', graph, '--data', join(dir, 'data'), '--modules', MODULES, ...limitFlags], {
      cwd: dir,
      killAfterMs: 90_000,
      onStart: (p) => (pid = p),
      onStderr: (text) => /^module misbehaving/m.test(text) && loaded(),
    });
    await moduleLoaded;
    // The run reaches the looping item right after the module is loaded; give a loaded machine time to get there.
    await sleep(2000);
    const runChild = await childPid(pid);
    process.kill(pid, 'SIGINT');
    await sleep(1000);
    const secondAt = Date.now();
    process.kill(pid, 'SIGTERM');
    const run = await running;
    assert.equal(run.code, 130, run.stderr);
    assert.ok(Date.now() - secondAt < 10_000, `ended ${Date.now() - secondAt} ms after the second interrupt`);
    assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
    assert.ok(!alive(runChild), 'the run’s process is gone too');
    assert.ok(run.peakMiB < 400, `peak memory ${Math.round(run.peakMiB)} MiB`);
  });
}

describe('a second interrupt while a module loops on the main thread', () => {
  before(() => useSharedCache());

  it('ends the run with --call-deadline 0', () => interruptTwiceWhileStuck(['--call-deadline', '0']));

  it('ends the run with --inspect', () => interruptTwiceWhileStuck(['--inspect', '127.0.0.1:0']));
});
