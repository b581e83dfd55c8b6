/**
 * #30.8: a subscriber that stops reading its socket must cost only itself. Before, the broker waited up to 60 s
 * for that socket to drain before delivering the next message to anyone, the graph's sink included.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { eventually } from '../helpers/examples.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, passThroughGraph } from './broker-fixtures.js';
import { connectedRawClient, subscribePacket, waitFor, PacketType } from './raw-mqtt.js';

const MESSAGES = 3000;
/** 8 KiB each: the stalled socket's kernel buffers fill after a few hundred. */
const PAYLOAD = 'x'.repeat(8 * 1024);

describe('embedded broker: a subscriber that stops reading', () => {
  before(() => useSharedCache());

  it('is disconnected once --max-queued messages wait for it; everyone else gets every message without a stall', async (t) => {
    await withTempDir(async (dir) => {
      // One module operation called on the engine's thread: the broker, not the graph, is what this test loads.
      await writeFile(join(dir, 'graph.yaml'), passThroughGraph('one'));
      const emulator = await startEmulator(
        [join(dir, 'graph.yaml'), '--port', '0', '--modules', MODULES, '--call-deadline', '0', '--max-queued', '200', '--json'],
        {},
        { measure: true },
      );
      try {
        const stalled = await connectedRawClient(emulator.brokerUrl, 'stalled');
        stalled.send(subscribePacket('processed'));
        await waitFor(() => stalled.received.some((p) => p.type === PacketType.suback), 'SUBACK');
        stalled.socket.pause();
        const arrived = new Set<string>();
        const sink = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 });
        sink.on('message', (_topic, payload) => arrived.add(payload.subarray(0, 16).toString()));
        await sink.subscribeAsync('processed', { qos: 1 });
        const publisher = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 });
        const started = Date.now();
        for (let i = 0; i < MESSAGES; i += 100) {
          await Promise.all(
            Array.from({ length: Math.min(100, MESSAGES - i) }, (_, j) =>
              publisher.publishAsync('sensors/s', `ok-${String(i + j).padStart(8, '0')}-${PAYLOAD}`, { qos: 1 }),
            ),
          );
        }
        await eventually(() => arrived.size === MESSAGES, `${MESSAGES} messages at the sink`, 120_000);
        // The broker used to wait 60 s for the stalled socket, once per message that found its buffer full.
        const tookMs = Date.now() - started;
        assert.ok(tookMs < 50_000, `the flow took ${tookMs} ms`);
        await publisher.endAsync();
        sink.end(true);
        const stopped = await emulator.interrupt();
        assert.equal(stopped.code, 0, stopped.stderr);
        assert.match(
          stopped.stderr,
          /client stalled disconnected \(0x97 quota exceeded\): it stopped reading: 201 messages queued for it unsent \(limit 200\)/,
        );
        assert.equal((JSON.parse(stopped.stdout) as { received: number }).received, MESSAGES);
        // At most 200 queued 8 KiB messages besides the socket buffers: the stalled client costs a few MiB.
        t.diagnostic(`peak memory ${Math.round(stopped.peakMiB!)} MiB`);
        assert.ok(stopped.peakMiB! < 400, `peak memory ${Math.round(stopped.peakMiB!)} MiB`);
      } finally {
        emulator.kill();
      }
    });
  });
});
