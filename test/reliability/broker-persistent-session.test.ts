/**
 * #29.4: a persistent session (MQTT 5 clean start off, a session expiry) whose client went away while messages
 * flow. Before, the broker kept every message published for it in memory, without a bound; now its queue holds
 * `--max-queued` messages and drops the oldest, and the graph still gets everything the source was acknowledged for.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { SessionQueues } from '../../src/mqtt/session-queues.js';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { eventually } from '../helpers/examples.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, passThroughGraph } from './broker-fixtures.js';

const MESSAGES = 4000;
const QUEUED = 100;
/** 64 KiB each: kept all, they would be 250 MiB. */
const PAYLOAD = 'x'.repeat(64 * 1024);
const SESSION = { protocolVersion: 5, clientId: 'keeper', clean: false, reconnectPeriod: 0, properties: { sessionExpiryInterval: 3600 } } as const;

describe('embedded broker: a persistent session whose client is away', () => {
  before(() => useSharedCache());

  it('keeps the newest --max-queued messages for it, says once how many it dropped, and the graph loses none', async (t) => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'graph.yaml'), passThroughGraph('one'));
      const emulator = await startEmulator(
        [join(dir, 'graph.yaml'), '--port', '0', '--modules', MODULES, '--call-deadline', '0', '--max-queued', String(QUEUED), '--json'],
        {},
        { measure: true },
      );
      try {
        const keeper = await mqtt.connectAsync(emulator.brokerUrl, SESSION);
        await keeper.subscribeAsync('processed', { qos: 1 });
        await keeper.endAsync();

        const arrived = new Set<string>();
        const sink = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 });
        sink.on('message', (_topic, payload) => arrived.add(payload.subarray(0, 11).toString()));
        await sink.subscribeAsync('processed', { qos: 1 });
        const publisher = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 });
        const started = Date.now();
        for (let i = 0; i < MESSAGES; i += 100) {
          await Promise.all(
            Array.from({ length: Math.min(100, MESSAGES - i) }, (_, j) =>
              publisher.publishAsync('sensors/s', `ok-${String(i + j).padStart(8, '0')}${PAYLOAD}`, { qos: 1 }),
            ),
          );
        }
        await eventually(() => arrived.size === MESSAGES, `${MESSAGES} messages at the sink`, 120_000);
        // About 5 s here; generous for a loaded machine.
        const tookMs = Date.now() - started;
        assert.ok(tookMs < 90_000, `the flow took ${tookMs} ms`);
        await publisher.endAsync();
        sink.end(true);

        // Back, it gets what its session kept: the newest QUEUED, in order.
        const kept: string[] = [];
        const back = mqtt.connect(emulator.brokerUrl, SESSION);
        back.on('message', (_topic, payload) => kept.push(payload.subarray(0, 11).toString()));
        await eventually(() => kept.length >= QUEUED, `${QUEUED} queued messages`, 30_000);
        await new Promise((resolve) => setTimeout(resolve, 500)); // anything more would come now
        await back.endAsync();
        const newest = Array.from({ length: QUEUED }, (_, i) => `ok-${String(MESSAGES - QUEUED + i).padStart(8, '0')}`);
        assert.deepEqual(kept, newest);

        const stopped = await emulator.interrupt();
        assert.equal(stopped.code, 0, stopped.stderr);
        const summary = JSON.parse(stopped.stdout) as { received: number; published: number };
        assert.deepEqual([summary.received, summary.published], [MESSAGES, MESSAGES]);
        const drops = stopped.stderr.match(/client keeper: its session's queue dropped .*/g) ?? [];
        assert.deepEqual(drops, [
          `client keeper: its session's queue dropped the ${MESSAGES - QUEUED} oldest message(s) waiting for it (limit ${QUEUED}, --max-queued)`,
        ]);
        // 100 queued messages of 64 KiB cost a few MiB; all 4,000 would be 250 MiB more.
        t.diagnostic(`peak memory ${Math.round(stopped.peakMiB!)} MiB`);
        assert.ok(stopped.peakMiB! < 300, `peak memory ${Math.round(stopped.peakMiB!)} MiB`);
      } finally {
        emulator.kill();
      }
    });
  });
});

describe('session queues', () => {
  const packet = (counter: number) => ({ cmd: 'publish', brokerId: 'b', brokerCounter: counter, topic: 'processed', messageId: 7 });
  const ids = async (queues: SessionQueues, clientId: string) => (await queues.outgoingStream({ id: clientId }).toArray()).map((p) => p.brokerCounter);

  it('drop the oldest past the limit, per client, and report each client’s count once', async () => {
    const queues = new SessionQueues(2);
    for (const counter of [1, 2, 3, 4]) await queues.outgoingEnqueueCombi([{ clientId: 'a' }, { clientId: 'b' }], packet(counter));
    await queues.outgoingEnqueue({ clientId: 'c' }, packet(5));
    assert.deepEqual(await ids(queues, 'a'), [3, 4]);
    assert.deepEqual(await ids(queues, 'c'), [5]);
    assert.deepEqual(queues.takeDrops('a'), [{ client: 'a', dropped: 2, limit: 2 }]);
    assert.deepEqual(queues.takeDrops('a'), [], 'said once');
    assert.deepEqual(queues.takeDrops(), [{ client: 'b', dropped: 2, limit: 2 }]);
  });

  it('each client’s copy gets its own message id; an acknowledgement clears that one only', async () => {
    const queues = new SessionQueues(10);
    await queues.outgoingEnqueueCombi([{ clientId: 'a' }, { clientId: 'b' }], packet(1));
    await queues.outgoingEnqueueCombi([{ clientId: 'a' }], packet(2));
    assert.equal(await queues.outgoingClearMessageId({ id: 'a' }, { messageId: 7 }), undefined, "the publisher's message id is not the client's");
    await queues.outgoingUpdate({ id: 'a' }, { brokerId: 'b', brokerCounter: 2, messageId: 40 });
    await queues.outgoingUpdate({ id: 'a' }, { brokerId: 'b', brokerCounter: 9, messageId: 41 }); // dropped meanwhile: no error
    assert.equal((await queues.outgoingClearMessageId({ id: 'a' }, { messageId: 40 }))?.brokerCounter, 2);
    assert.deepEqual(await ids(queues, 'a'), [1]);
    assert.deepEqual(await ids(queues, 'b'), [1]);
  });
});
