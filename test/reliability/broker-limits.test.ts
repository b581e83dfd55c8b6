/**
 * The embedded broker's limits: flags win over aio.yaml's `emulator` settings, which win over the defaults; and
 * the books that tell a stuck subscriber from a slow one.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { brokerLimits } from '../../src/cli/broker-limit-flags.js';
import { AioError } from '../../src/errors.js';
import { DEFAULT_BROKER_LIMITS } from '../../src/mqtt/broker-limits.js';
import { InflightBooks } from '../../src/mqtt/inflight-books.js';
import { loadProject } from '../../src/project/load-project.js';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, passThroughGraph } from './broker-fixtures.js';
import { PacketType, connectedRawClient, publishPacket, within } from './raw-mqtt.js';

describe('embedded broker limits', () => {
  it('defaults: 1 MiB packets, 1,000 unacknowledged deliveries, 1,000 queued messages, 10 s to CONNECT', () => {
    assert.deepEqual(brokerLimits({}), { maxPacketBytes: 1024 * 1024, maxInflight: 1000, maxQueued: 1000, connectTimeoutMs: 10_000 });
    assert.deepEqual(brokerLimits({}), DEFAULT_BROKER_LIMITS);
  });

  it("aio.yaml's emulator section sets them, and flags win", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'graph.yaml'), '');
      await writeFile(
        join(dir, 'aio.yaml'),
        `graphs: { g: { file: graph.yaml } }
emulator: { maxPacketSize: 256KiB, maxInflight: 50, maxQueued: 20, clientConnectTimeout: 3s }
environments: { local: { target: emulator, source: { topics: ["sensors/#"] }, destination: { topic: processed } } }
`,
      );
      const project = await loadProject(join(dir, 'aio.yaml'));
      assert.deepEqual(brokerLimits({}, project.emulator), { maxPacketBytes: 256 * 1024, maxInflight: 50, maxQueued: 20, connectTimeoutMs: 3000 });
      assert.deepEqual(brokerLimits({ 'max-packet-size': '16MiB', 'max-queued': 5, 'client-connect-timeout': '500ms' }, project.emulator), {
        maxPacketBytes: 16 * 1024 * 1024,
        maxInflight: 50,
        maxQueued: 5,
        connectTimeoutMs: 500,
      });
      assert.equal(brokerLimits({ 'max-packet-size': '4096' }).maxPacketBytes, 4096, 'a bare number is bytes');
    });
  });

  it('a size MQTT cannot frame, or no size at all, is AIO_LIMIT_INVALID', () => {
    for (const bad of ['300MiB', '10', 'lots']) {
      assert.throws(
        () => brokerLimits({ 'max-packet-size': bad }),
        (error: unknown) => error instanceof AioError && error.code === 'AIO_LIMIT_INVALID' && error.message.includes(bad),
      );
    }
  });

  it('a client connect timeout of 0 (it would close every connection at once) or no duration is AIO_LIMIT_INVALID', () => {
    for (const bad of ['0', '0s', 'soon']) {
      assert.throws(
        () => brokerLimits({ 'client-connect-timeout': bad }),
        (error: unknown) => error instanceof AioError && error.code === 'AIO_LIMIT_INVALID' && error.message.includes(`the client connect timeout "${bad}"`),
      );
    }
  });
});

describe('in-flight books', () => {
  it('a subscriber over its window is stuck only once it has acknowledged nothing for the grace period', () => {
    const books = new InflightBooks<{ id: string }>();
    const slow = { id: 'slow' };
    const silent = { id: 'silent' };
    for (let i = 0; i < 5; i++) {
      books.delivered(slow, 0);
      books.delivered(silent, 0);
    }
    books.acknowledged('slow', 4000);
    assert.deepEqual(books.stuck(3, 5000, 4999), [], 'within the grace period');
    assert.deepEqual(books.stuck(3, 5000, 5000), [silent], 'the silent one, at its end');
    assert.deepEqual(books.stuck(3, 5000, 9000), [slow, silent], 'the slow one too, once its last acknowledgement is as old');
    assert.deepEqual(books.stuck(4, 5000, 9000), [silent], 'the slow one is back within a window of 4');
    books.gone('silent');
    assert.equal(books.anyUnacknowledged(), true);
    for (let i = 0; i < 4; i++) books.acknowledged('slow');
    assert.equal(books.anyUnacknowledged(), false);
  });
});

describe('--client-connect-timeout on a running broker', () => {
  it('a connection that sends nothing is closed after 1 s, not the default 10 s, and the log says why', async (t) => {
    useSharedCache();
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'graph.yaml'), passThroughGraph('one'));
      const emulator = await startEmulator(
        [join(dir, 'graph.yaml'), '--port', '0', '--modules', MODULES, '--client-connect-timeout', '1s'],
        {},
        { measure: true },
      );
      try {
        const { hostname, port } = new URL(emulator.brokerUrl);
        const silent = connect(Number(port), hostname);
        silent.on('data', () => undefined);
        await once(silent, 'connect');
        const opened = Date.now();
        await within(once(silent, 'close'), 9_000, 'the close');
        const tookMs = Date.now() - opened;
        // At least the timeout; well under the default of 10 s even on a loaded machine.
        assert.ok(tookMs >= 900 && tookMs < 9_000, `closed after ${tookMs} ms`);
        const stopped = await emulator.interrupt();
        assert.equal(stopped.code, 0, stopped.stderr);
        assert.match(stopped.stderr, /disconnected \(0x8d keep alive timeout\): no complete CONNECT within 1 s \(--client-connect-timeout\)/);
        t.diagnostic(`peak memory ${Math.round(stopped.peakMiB!)} MiB`);
        assert.ok(stopped.peakMiB! < 300, `peak memory ${Math.round(stopped.peakMiB!)} MiB`);
      } finally {
        emulator.kill();
      }
    });
  });
});

describe('--max-packet-size on a running broker', () => {
  it('a 100 KiB publish under --max-packet-size 64KiB gets DISCONNECT 0x95; one of 60 KiB passes', async () => {
    useSharedCache();
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'graph.yaml'), passThroughGraph('one'));
      const emulator = await startEmulator([join(dir, 'graph.yaml'), '--port', '0', '--modules', MODULES, '--max-packet-size', '64KiB']);
      try {
        const fits = await connectedRawClient(emulator.brokerUrl, 'fits');
        fits.send(publishPacket('sensors/fits', Buffer.alloc(60 * 1024, 0x61)));
        await within(
          new Promise<void>((resolve) => fits.socket.on('data', () => fits.received.some((p) => p.type === PacketType.puback) && resolve())),
          10_000,
          'PUBACK',
        );
        assert.equal(fits.received.find((p) => p.type === PacketType.puback)!.reasonCode, 0);
        const big = await connectedRawClient(emulator.brokerUrl, 'too-big');
        big.send(publishPacket('sensors/big', Buffer.alloc(100 * 1024, 0x62)));
        await within(big.closed, 10_000, 'the close');
        assert.equal(big.disconnectReason(), 0x95);
        fits.socket.end();
        const stopped = await emulator.interrupt();
        assert.equal(stopped.code, 0, stopped.stderr);
        assert.match(
          stopped.stderr,
          /client too-big disconnected \(0x95 packet too large\): it sent a packet of 102\d{3} bytes \(limit 65536, --max-packet-size\)/,
        );
      } finally {
        emulator.kill();
      }
    });
  });
});
