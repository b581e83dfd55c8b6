/**
 * #30.2: a live run whose --trace-file cannot be written (its disk is full) ends with AIO_OUTPUT_WRITE_FAILED
 * naming the file, exit 4, instead of an unhandled stream error.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { looksLikeStackTrace } from '../helpers/cli.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, hostileWorkspace, peakMiBOf } from './hostile-workspace.js';

describe('a live run whose trace file’s disk is full', () => {
  before(() => useSharedCache());

  it('ends with AIO_OUTPUT_WRITE_FAILED and the path, exit 4', async () => {
    await withTempDir(async (dir) => {
      const graph = await hostileWorkspace(dir, []);
      // /dev/full takes no byte: every write fails with ENOSPC, as on a full disk.
      const emulator = await startEmulator([graph, '--port', '0', '--modules', MODULES, '--trace-file', '/dev/full']);
      const pub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 });
      const started = Date.now();
      try {
        await pub.publishAsync('sensors/a', 'one', { qos: 1 }).catch(() => undefined);
        let peak = 0;
        let poll: NodeJS.Timeout | undefined;
        let timeout: NodeJS.Timeout | undefined;
        const ended = await Promise.race([
          new Promise<boolean>((resolve) => {
            poll = setInterval(() => {
              // An ended process has no memory figures left (a zombie) or no /proc entry at all.
              const now = (() => {
                try {
                  return peakMiBOf(emulator.pid);
                } catch {
                  return NaN;
                }
              })();
              if (Number.isNaN(now)) resolve(true);
              else peak = Math.max(peak, now);
            }, 50);
          }),
          new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), 20_000))),
        ]);
        clearInterval(poll);
        clearTimeout(timeout);
        const stopped = await emulator.interrupt();
        assert.ok(ended, `the run went on after its trace failed:\n${stopped.stderr}`);
        assert.equal(stopped.code, 4, stopped.stderr);
        assert.match(stopped.stderr, /AIO_OUTPUT_WRITE_FAILED: cannot write the trace \/dev\/full: the disk is full \(ENOSPC\)/);
        assert.ok(!looksLikeStackTrace(stopped.stderr), stopped.stderr);
        assert.ok(Date.now() - started < 20_000);
        assert.ok(peak < 400, `peak memory ${peak} MiB`);
      } finally {
        await pub.endAsync(true);
      }
    });
  });
});
