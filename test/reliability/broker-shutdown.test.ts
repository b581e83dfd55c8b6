/**
 * #30.1: SIGTERM while QoS 1 publishers send through the embedded broker. Every publish the broker acknowledged
 * (PUBACK reason 0) must reach the sink; a publish after the interrupt is refused, never acknowledged and dropped.
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

describe('embedded broker: shutdown under load', () => {
  before(() => useSharedCache());

  it('SIGTERM while two publishers send QoS 1: every acknowledged message reaches the sink, exit 0, memory bounded', async (t) => {
    await withTempDir(async (dir) => {
      const graphFile = join(dir, 'graph.yaml');
      await writeFile(graphFile, passThroughGraph());
      const started = Date.now();
      const emulator = await startEmulator([graphFile, '--port', '0', '--modules', MODULES, '--json'], {}, { measure: true });
      const received = new Set<string>();
      const sub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 });
      sub.on('message', (_topic, payload) => received.add(payload.toString()));
      await sub.subscribeAsync('processed', { qos: 1 });
      const publishers = await Promise.all([0, 1].map((n) => keepPublishing(emulator.brokerUrl, `p${n}`)));
      await eventually(() => publishers.every((p) => p.acknowledged.size >= 500), 'a flow of acknowledged publishes', 60_000);
      // The publishers go on sending through the interrupt, the drain and the broker's close.
      const stopped = await emulator.interrupt('SIGTERM');
      await Promise.all(publishers.map((p) => p.closed));
      sub.end(true);
      assert.equal(stopped.code, 0, stopped.stderr);
      const acknowledged = publishers.flatMap((p) => [...p.acknowledged]);
      const lost = acknowledged.filter((payload) => !received.has(payload));
      assert.deepEqual(lost.slice(0, 10), [], `${lost.length} of ${acknowledged.length} acknowledged messages never reached the sink`);
      assert.ok(
        publishers.some((p) => p.refused > 0),
        'publishes after the interrupt were refused, not acknowledged',
      );
      const summary = JSON.parse(stopped.stdout) as { received: number; published: number };
      assert.equal(summary.received, acknowledged.length, 'the graph received exactly the acknowledged publishes');
      t.diagnostic(`peak memory ${Math.round(stopped.peakMiB!)} MiB`);
      assert.ok(stopped.peakMiB! < 400, `peak memory ${Math.round(stopped.peakMiB!)} MiB`);
      assert.ok(Date.now() - started < 120_000, 'the run ended within two minutes');
    });
  });
});

/** A QoS 1 publisher that keeps 50 publishes in flight until its connection closes; counts what was acknowledged. */
async function keepPublishing(url: string, name: string): Promise<{ acknowledged: Set<string>; refused: number; closed: Promise<void> }> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
  const state = { acknowledged: new Set<string>(), refused: 0, closed: new Promise<void>((resolve) => client.once('close', () => resolve())) };
  let next = 0;
  let open = true;
  client.once('close', () => (open = false));
  client.on('error', () => undefined);
  const publishOne = (): void => {
    if (!open) return;
    const payload = `ok-${name}-${next++}`;
    client.publish('sensors/load', payload, { qos: 1 }, (error) => {
      if (!error) state.acknowledged.add(payload);
      else if ((error as { code?: number }).code === 0x87) state.refused++;
      // A refused publish is answered at once: pace the retries instead of spinning.
      if (error) setTimeout(publishOne, 5);
      else publishOne();
    });
  };
  for (let i = 0; i < 50; i++) publishOne();
  return state;
}
