/**
 * #30.10: the embedded broker (and the dashboard, /metrics, the inspector) beyond loopback says so, and can require a user name and password. The password
 * comes from AIO_MQTT_PASSWORD only and never appears in output.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { eventually } from '../helpers/examples.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, passThroughGraph } from './broker-fixtures.js';

const SECRET = 'correct-horse-battery-staple';

describe('embedded broker: exposure and credentials', () => {
  before(() => useSharedCache());

  it('--host 0.0.0.0 and --ui 0.0.0.0 warn that they are reachable beyond this machine', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'graph.yaml'), passThroughGraph('one'));
      const emulator = await startEmulator([join(dir, 'graph.yaml'), '--host', '0.0.0.0', '--port', '0', '--ui', '0.0.0.0:0', '--modules', MODULES]);
      const stopped = await emulator.interrupt();
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(stopped.stderr, /warning: the embedded broker listens on 0\.0\.0\.0:\d+, beyond this machine, and takes any client: pass --username/);
      assert.match(stopped.stderr, /warning: the dashboard \(--ui\) listens on 0\.0\.0\.0:0, beyond this machine, without authentication/);
    });
  });

  it('--inspect 0.0.0.0 warns that anyone who reaches it can run code in the process', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'graph.yaml'), passThroughGraph('one'));
      await mkdir(join(dir, 'data'));
      await writeFile(join(dir, 'data', 'one.txt'), 'ok-inspected');
      const result = await runCli(['emulate', join(dir, 'graph.yaml'), '--data', join(dir, 'data'), '--inspect', '0.0.0.0:0', '--modules', MODULES]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stderr,
        /warning: Node's inspector \(--inspect\) listens on 0\.0\.0\.0:0, beyond this machine, without authentication: anyone who reaches it sees this process and can run any code in it/,
      );
    });
  });

  it('--watch says it once per process, not again at each restart', async (t) => {
    await withTempDir(async (dir) => {
      const graphFile = join(dir, 'graph.yaml');
      await writeFile(graphFile, passThroughGraph('one'));
      const emulator = await startEmulator(
        [graphFile, '--host', '0.0.0.0', '--port', '0', '--ui', '0.0.0.0:0', '--modules', MODULES, '--watch'],
        {},
        { measure: true },
      );
      try {
        // Renaming an operation is a new graph: the run restarts (its broker and dashboard too).
        await writeFile(graphFile, passThroughGraph('one').replaceAll('pass/map', 'pass/renamed'));
        await eventually(() => emulator.stderr().match(/^ready: /gm)?.length === 2, 'the restarted run', 60_000);
        const stopped = await emulator.interrupt();
        assert.equal(stopped.code, 0, stopped.stderr);
        assert.match(stopped.stderr, /restarting the run/);
        assert.equal(stopped.stderr.match(/warning: the embedded broker listens on 0\.0\.0\.0:\d+/g)?.length, 1, stopped.stderr);
        assert.equal(stopped.stderr.match(/warning: the dashboard \(--ui\) listens on 0\.0\.0\.0:/g)?.length, 1, stopped.stderr);
        t.diagnostic(`peak memory ${Math.round(stopped.peakMiB!)} MiB`);
        assert.ok(stopped.peakMiB! < 300, `peak memory ${Math.round(stopped.peakMiB!)} MiB`);
      } finally {
        emulator.kill();
      }
    });
  });

  it('on loopback nothing is said', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'graph.yaml'), passThroughGraph('one'));
      const emulator = await startEmulator([join(dir, 'graph.yaml'), '--port', '0', '--modules', MODULES]);
      const stopped = await emulator.interrupt();
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.doesNotMatch(stopped.stderr, /warning:/);
    });
  });

  it('--username with AIO_MQTT_PASSWORD: a client without them, or with a wrong password, gets CONNACK 0x86; the right ones pass', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'graph.yaml'), passThroughGraph('one'));
      const emulator = await startEmulator([join(dir, 'graph.yaml'), '--port', '0', '--username', 'edge', '--modules', MODULES], { AIO_MQTT_PASSWORD: SECRET });
      const refused = async (options: mqtt.IClientOptions) => {
        const error = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0, ...options }).then(
          (client) => (client.end(true), undefined),
          (e: { code?: number }) => e,
        );
        return error?.code;
      };
      assert.equal(await refused({}), 0x86);
      assert.equal(await refused({ username: 'edge', password: 'guess' }), 0x86);
      assert.equal(await refused({ username: 'other', password: SECRET }), 0x86);
      const client = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0, username: 'edge', password: SECRET });
      const answer = new Promise<string>((resolve) => client.on('message', (_t, payload) => resolve(payload.toString())));
      await client.subscribeAsync('processed', { qos: 1 });
      await client.publishAsync('sensors/auth', 'ok-authenticated', { qos: 1 });
      assert.equal(await answer, 'ok-authenticated');
      await client.endAsync();
      const stopped = await emulator.interrupt();
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(stopped.stderr, /disconnected \(0x86 bad user name or password\)/);
      assert.ok(!`${stopped.stdout}${stopped.stderr}`.includes(SECRET), 'the password never appears in output');
    });
  });

  it('--username without AIO_MQTT_PASSWORD is AIO_EMULATE_BROKER_PASSWORD_MISSING (exit 2), before the broker opens', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'graph.yaml'), passThroughGraph('one'));
      const result = await runCli(['emulate', join(dir, 'graph.yaml'), '--port', '0', '--username', 'edge', '--modules', MODULES], {
        env: { AIO_MQTT_PASSWORD: '' },
      });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /AIO_EMULATE_BROKER_PASSWORD_MISSING/);
      assert.match(result.stderr, /AIO_MQTT_PASSWORD/);
      assert.doesNotMatch(result.stderr, /^broker: /m);
      assert.ok(!looksLikeStackTrace(result.stderr), result.stderr);
    });
  });
});
