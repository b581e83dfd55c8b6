import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator, type EmulatorProcess } from '../helpers/emulator-process.js';
import { copyExample, eventually } from '../helpers/examples.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { repoRoot } from '../helpers/paths.js';

const SINK = 'out/enriched';

async function subscriber(url: string, clientId?: string): Promise<{ client: MqttClient; packets: IPublishPacket[] }> {
  const packets: IPublishPacket[] = [];
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 5,
    ...(clientId ? { clientId, clean: false, properties: { sessionExpiryInterval: 300 } } : {}),
    reconnectPeriod: 200,
  });
  client.on('message', (_topic, _payload, packet) => packets.push(packet));
  await client.subscribeAsync(SINK, { qos: 1 });
  return { client, packets };
}

const fullProperties = {
  userProperties: { site: 'north', tag: ['a', 'b'], __ts: '001758255553528:00007:sensor-1' },
  contentType: 'application/json',
  correlationData: Buffer.from('corr-1'),
  responseTopic: 'replies/1',
  messageExpiryInterval: 120,
  payloadFormatIndicator: true,
};

/** Publishes one reading with every MQTT 5 property and one the payload schema rejects; checks what the sink sends. */
async function checkPropertiesTravel(emulator: EmulatorProcess): Promise<void> {
  const sub = await subscriber(emulator.brokerUrl);
  const pub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
  try {
    await pub.publishAsync('factory/line1', JSON.stringify({ temperature: 20.5 }), { qos: 1, properties: fullProperties });
    await pub.publishAsync('factory/line2', JSON.stringify({ temperature: 'warm' }), { qos: 1 });
    await pub.publishAsync('factory/line3', JSON.stringify({ temperature: 22 }), { qos: 1 });
    await eventually(() => sub.packets.length === 2, 'two sink messages');
    const [first, second] = sub.packets;
    assert.equal(first!.topic, SINK);
    assert.equal(first!.qos, 1);
    assert.deepEqual(JSON.parse(first!.payload.toString()), { temperature: 20.5, enrichment: { factoryId: 'factoryA', machineId: 'machineA' } });
    const p = first!.properties!;
    assert.deepEqual(
      { ...p.userProperties },
      { __ts: '001758255553528:00007:sensor-1', site: 'north', tag: ['a', 'b'], factoryId: 'factoryA', machineId: 'machineA' },
    );
    assert.equal(p.contentType, 'application/json');
    assert.equal(Buffer.from(p.correlationData!).toString(), 'corr-1');
    assert.equal(p.responseTopic, 'replies/1');
    assert.equal(p.payloadFormatIndicator, true);
    assert.ok(p.messageExpiryInterval! > 100 && p.messageExpiryInterval! <= 120, `expiry ${p.messageExpiryInterval}`);
    assert.deepEqual(JSON.parse(second!.payload.toString()).temperature, 22);
    assert.match(String(second!.properties!.userProperties!['__ts']), /^\d{15}:\d{5}:aio-emulate$/, 'the host assigns __ts when none came in');
  } finally {
    await pub.endAsync();
    await sub.client.endAsync();
  }
  const stopped = await emulator.interrupt();
  assert.equal(stopped.code, 0, stopped.stderr);
  const summary = JSON.parse(stopped.stdout) as { received: number; published: number; operations: Array<{ operation: string; dropped: number }> };
  assert.deepEqual([summary.received, summary.published], [3, 2]);
  assert.equal(summary.operations.find((o) => o.operation === 'source')!.dropped, 1);
  assert.match(stopped.stderr, /dropped item .*payload does not match reading\.schema\.json/);
}

describe('aio emulate over MQTT', () => {
  let mosquitto: Mosquitto;
  before(async () => {
    useSharedCache();
    mosquitto = await startMosquitto();
  });
  after(() => mosquitto.stop());

  it('embedded broker: MQTT 5 properties travel from source to sink', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('enrichment', dir);
      const emulator = await startEmulator([join(ws, 'graph.dataflow.yaml'), '--port', '0', '--source-topic', 'factory/#', '--sink-topic', SINK, '--json']);
      assert.match(emulator.brokerUrl, /^mqtt:\/\/127\.0\.0\.1:\d+$/);
      await checkPropertiesTravel(emulator);
    });
  });

  it("Debian's mosquitto: MQTT 5 properties travel from source to sink", async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('enrichment', dir);
      const emulator = await startEmulator([
        join(ws, 'graph.dataflow.yaml'),
        '--broker',
        mosquitto.url,
        '--source-topic',
        'factory/#',
        '--sink-topic',
        SINK,
        '--json',
      ]);
      assert.equal(emulator.brokerUrl, mosquitto.url);
      await checkPropertiesTravel(emulator);
    });
  });

  it('an interrupt with messages in flight loses none of them (QoS 1, embedded broker)', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('enrichment', dir);
      const emulator = await startEmulator([join(ws, 'graph.dataflow.yaml'), '--port', '0', '--source-topic', 'factory/#', '--sink-topic', SINK, '--json']);
      const sub = await subscriber(emulator.brokerUrl);
      const pub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
      const count = 2000;
      await Promise.all(Array.from({ length: count }, (_, i) => pub.publishAsync('factory/load', JSON.stringify({ temperature: i }), { qos: 1 })));
      // Every publish is acknowledged by the broker; most are still queued for the graph when the interrupt lands.
      const stopped = await emulator.interrupt();
      assert.equal(stopped.code, 0, stopped.stderr);
      // The interrupt landed on a backlog: acknowledged messages the graph had not processed yet.
      const backlog = Number(/^interrupted: (\d+) accepted message\(s\) not processed yet/m.exec(stopped.stderr)?.[1]);
      assert.ok(backlog > 0, `a backlog existed when the interrupt landed (${backlog}):\n${stopped.stderr}`);
      const summary = JSON.parse(stopped.stdout) as { received: number; published: number };
      assert.deepEqual([summary.received, summary.published], [count, count]);
      await eventually(() => sub.packets.length >= count, `${count} sink messages`, 30_000);
      const seen = new Set(sub.packets.map((p) => JSON.parse(p.payload.toString()).temperature as number));
      assert.equal(seen.size, count, 'every message arrived');
      await pub.endAsync(true);
      await sub.client.endAsync(true);
    });
  });

  it('retries a lost connection to an external broker and loses no QoS 1 message across the reconnect', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('enrichment', dir);
      const emulator = await startEmulator([
        join(ws, 'graph.dataflow.yaml'),
        '--broker',
        mosquitto.url,
        '--source-topic',
        'factory/#',
        '--sink-topic',
        SINK,
        '--client-id',
        'aio-emulate-reconnect-test',
      ]);
      const sub = await subscriber(mosquitto.url, 'aio-test-sink-reader');
      const publish = async (from: number, to: number) => {
        const pub = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 5 });
        for (let i = from; i < to; i++) await pub.publishAsync('factory/reconnect', JSON.stringify({ temperature: i }), { qos: 1 });
        await pub.endAsync();
      };
      await publish(0, 5);
      await eventually(() => sub.packets.length >= 5, 'messages before the restart');
      await mosquitto.restart();
      // Published while the emulator is still reconnecting: the broker holds them in its persistent session.
      await publish(5, 10);
      await eventually(() => /reconnected to the broker/.test(emulator.stderr()), 'the reconnect report').catch((e: Error) =>
        assert.fail(`${e.message}:\n${emulator.stderr()}`),
      );
      await eventually(() => new Set(sub.packets.map((p) => p.payload.toString())).size >= 10, 'all ten messages');
      assert.match(emulator.stderr(), /warning: connection to the broker lost/);
      const stopped = await emulator.interrupt();
      assert.equal(stopped.code, 0, stopped.stderr);
      await sub.client.endAsync(true);
    });
  });
});

describe('aio emulate on the embedded broker, from its first moment', () => {
  it('loses nothing a client publishes the moment the port opens, while cold modules still load', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', join(dir, 'ws'));
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'emulate', join(ws, 'graph.dataflow.yaml'), '--port', '0', '--json'], {
        cwd: ws,
        // A cold transpile cache: module loading takes long enough for an early publisher to get in first.
        env: { ...process.env, NO_COLOR: '1', AIO_CACHE_DIR: join(dir, 'cold-cache') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const brokerUrl = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
          const match = /^broker: (\S+)/m.exec(stderr);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`aio emulate exited (${code}): ${stderr}`)));
      });
      // The port is open and the modules are still loading: publish at once, QoS 1, and wait for every PUBACK.
      assert.doesNotMatch(stderr, /^ready: /m, 'the publisher gets in before the graph is ready');
      // mqtt.connect, not connectAsync: the publishes are issued now, and go out as soon as the broker answers.
      const publisher = mqtt.connect(brokerUrl, { protocolVersion: 5, connectTimeout: 60_000 });
      const readings = Array.from({ length: 7 }, (_, i) => JSON.stringify({ temperature: { value: 60 + i, unit: 'F' } }));
      await Promise.all(readings.map((r) => publisher.publishAsync('sensors/early', r, { qos: 1 })));
      await publisher.endAsync();
      await eventually(() => /^ready: /m.test(stderr), 'the ready line');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      assert.equal(await exited, 0, stderr);
      const summary = JSON.parse(stdout) as { received: number; operations: Array<{ operation: string; in: number }> };
      assert.equal(summary.received, 7, 'every acknowledged publish reached the graph');
      assert.equal(summary.operations.find((o) => o.operation === 'module-thermostat/map')!.in, 7);
    });
  });
});

describe('aio emulate replaying recorded traffic', () => {
  it("closes yesterday's windows on yesterday's clock while input flows, and the last one once the source is idle", async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const emulator = await startEmulator([
        join(ws, 'graph.dataflow.yaml'),
        ...['--port', '0', '--sink-topic', 'processed', '--param', 'module-window/delay.window_seconds=2', '--json'],
      ]);
      const packets: IPublishPacket[] = [];
      const sub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
      sub.on('message', (_topic, _payload, packet) => packets.push(packet));
      await sub.subscribeAsync('processed', { qos: 1 });
      // A replay starts into a graph that has been waiting: idle, it must not have moved its frontier to the wall clock.
      await new Promise((resolve) => setTimeout(resolve, 1600));
      const windowStart = Math.floor((Date.now() - 86_400_000) / 2000) * 2000;
      const pub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
      for (const [offset, fahrenheit] of [
        [100, 68],
        [300, 77],
        [500, 86],
        [2500, 95],
      ] as const) {
        const ts = `${String(windowStart + offset).padStart(15, '0')}:00000:recorder`;
        const payload = JSON.stringify({ temperature: { value: fahrenheit, unit: 'F' } });
        await pub.publishAsync('sensors/replay', payload, { qos: 1, properties: { userProperties: { __ts: ts } } });
      }
      await eventually(() => packets.length === 2, 'two window results', 30_000);
      const results = packets.map((p) => JSON.parse(p.payload.toString()) as { count: number; min: number; max: number });
      assert.deepEqual(
        results.map((r) => [r.count, r.min, r.max]),
        [
          [3, 20, 30],
          [1, 35, 35],
        ],
      );
      const stopped = await emulator.interrupt();
      assert.equal(stopped.code, 0, stopped.stderr);
      const summary = JSON.parse(stopped.stdout) as { operations: Array<{ operation: string; dropped: number }> };
      assert.equal(summary.operations.find((o) => o.operation === 'module-window/accumulate')!.dropped, 0, 'no replayed reading was late');
      await pub.endAsync();
      await sub.endAsync();
    });
  });
});
