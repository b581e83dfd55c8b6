/**
 * #29.4 and #30.7/#30.9: the embedded broker under bad clients, in one run of the real CLI. Each bad client is
 * disconnected with the MQTT 5 reason code that fits (or closed where MQTT gives it none), good messages keep
 * flowing between attacks, every acknowledged message is processed, and the run's peak memory stays bounded.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator, type EmulatorProcess } from '../helpers/emulator-process.js';
import { eventually } from '../helpers/examples.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { MODULES, passThroughGraph } from './broker-fixtures.js';
import {
  PacketType,
  connectPacket,
  connectedRawClient,
  publishPacket,
  rawClient,
  subscribePacket,
  varint,
  waitFor,
  within,
  type RawClient,
} from './raw-mqtt.js';

/** The bound this run must stay under: the emulator, its module, 500 connections and 50,000 messages. */
const PEAK_MIB = 300;

describe('embedded broker under bad clients', () => {
  let emulator: EmulatorProcess;
  let sink: MqttClient;
  let publisher: MqttClient;
  const arrived = new Set<string>();
  let acknowledged = 0;
  let halfConnect: RawClient;
  const started = Date.now();

  /** Publishes `count` good QoS 1 messages (200 at a time) and waits until each has reached the sink. */
  async function goodTraffic(label: string, count: number): Promise<void> {
    const payloads = Array.from({ length: count }, (_, i) => `ok-${label}-${i}`);
    for (let i = 0; i < count; i += 200) {
      await Promise.all(payloads.slice(i, i + 200).map((p) => publisher.publishAsync('sensors/good', p, { qos: 1 })));
      acknowledged += Math.min(200, count - i);
    }
    await eventually(() => payloads.every((p) => arrived.has(p)), `${count} good messages (${label}) at the sink`, 240_000);
  }

  before(async () => {
    useSharedCache();
    const dir = await makeTempDir();
    // One module operation called on the engine's thread: the broker, not the graph, is what this test loads.
    await writeFile(join(dir, 'graph.yaml'), passThroughGraph('one'));
    emulator = await startEmulator([join(dir, 'graph.yaml'), '--port', '0', '--modules', MODULES, '--call-deadline', '0', '--json'], {}, { measure: true });
    sink = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 });
    sink.on('message', (_topic, payload) => arrived.add(payload.toString()));
    await sink.subscribeAsync('processed', { qos: 1 });
    publisher = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 });
    // Half a CONNECT, then silence: checked at the end, after the connect timeout.
    halfConnect = await rawClient(emulator.brokerUrl);
    halfConnect.send(connectPacket('half').subarray(0, 6));
  });
  after(() => emulator?.kill());

  it('garbage bytes: the connection is closed at once', async () => {
    const client = await rawClient(emulator.brokerUrl);
    client.send(Buffer.from('GET / HTTP/1.1\r\nHost: broker\r\n\r\n'));
    assert.ok((await within(client.closed, 10_000, 'the close')) < 5000);
    await goodTraffic('after-garbage', 100);
  });

  it('six connections, each a CONNECT declaring 256 MB, are refused at the fixed header, before the body is read', async () => {
    const sentBeforeClose = await Promise.all(Array.from({ length: 6 }, () => sendHugeConnect()));
    for (const sent of sentBeforeClose) assert.ok(sent < 16 * 1024 * 1024, `the broker read ${sent} bytes of a declared body before closing`);
    await goodTraffic('after-huge-connect', 100);
  });

  /** Declares a 256 MB CONNECT and sends its body as fast as the broker reads it; the bytes sent once it closes. */
  async function sendHugeConnect(): Promise<number> {
    const client = await rawClient(emulator.brokerUrl);
    client.send(Buffer.concat([Buffer.from([0x10]), varint(268_435_455)]));
    let sent = 0;
    let open = true;
    void client.closed.then(() => (open = false));
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    while (open && sent < 64 * 1024 * 1024) {
      sent += chunk.length;
      if (!client.socket.write(chunk)) await new Promise((r) => client.socket.once('drain', r).once('close', r));
    }
    await within(client.closed, 5000, 'the broker to close a connection declaring 256 MB');
    return sent;
  }

  it('500 connections at once, each publishing one QoS 1 message: each is acknowledged and reaches the sink', async () => {
    const clients = await Promise.all(Array.from({ length: 500 }, () => rawClient(emulator.brokerUrl)));
    clients.forEach((client, i) => client.send(Buffer.concat([connectPacket(`many-${i}`), publishPacket('sensors/many', Buffer.from(`ok-many-${i}`))])));
    await waitFor(() => clients.every((c) => c.received.some((p) => p.type === PacketType.puback)), '500 PUBACKs', 60_000);
    assert.deepEqual(new Set(clients.map((c) => c.received.find((p) => p.type === PacketType.puback)!.reasonCode)), new Set([0]));
    acknowledged += 500;
    await eventually(() => clients.every((_, i) => arrived.has(`ok-many-${i}`)), '500 messages at the sink', 60_000);
    for (const client of clients) client.socket.end();
  });

  it('a 20 MB publish: DISCONNECT 0x95 (packet too large), nothing acknowledged', async () => {
    const client = await connectedRawClient(emulator.brokerUrl, 'big');
    client.send(publishPacket('sensors/big', Buffer.alloc(20 * 1024 * 1024, 0x42)));
    await within(client.closed, 30_000, 'the close');
    assert.equal(client.disconnectReason(), 0x95);
    assert.ok(!client.received.some((p) => p.type === PacketType.puback));
    await goodTraffic('after-big', 100);
  });

  for (const [name, topic, reasonCode] of [
    ['a + wildcard', 'sensors/+/bad', 0x90],
    ['a # wildcard', 'sensors/#', 0x90],
    ['ill-formed UTF-8', Buffer.from([...Buffer.from('sensors/'), 0xff, 0xfe, 0x41]), 0x81],
    ['a U+0000', 'sensors/a\u0000b', 0x81],
  ] as const) {
    it(`a PUBLISH topic with ${name}: DISCONNECT 0x${reasonCode.toString(16)}, nothing acknowledged or forwarded`, async () => {
      const client = await connectedRawClient(emulator.brokerUrl, `bad-topic-${reasonCode}-${name.length}`);
      client.send(publishPacket(topic, Buffer.from(`bad-topic-${name}`)));
      await within(client.closed, 10_000, 'the close');
      assert.equal(client.disconnectReason(), reasonCode);
      assert.ok(!client.received.some((p) => p.type === PacketType.puback));
      await goodTraffic(`after-${name}`, 20);
      assert.ok(![...arrived].some((p) => p.startsWith('bad-topic-')), 'the bad publish reached no one');
    });
  }

  it('a QoS 1 subscriber on the sink topic that never acknowledges, while 50,000 messages flow: DISCONNECT 0x97; the others get every message', async () => {
    const lazy = await connectedRawClient(emulator.brokerUrl, 'never-acks');
    lazy.send(subscribePacket('processed'));
    await waitFor(() => lazy.received.some((p) => p.type === PacketType.suback), 'SUBACK');
    await goodTraffic('flow', 50_000);
    // Over its window of 1,000 and silent for 5 s: let go, whether or not the flow has ended by then.
    await within(lazy.closed, 15_000, 'the close');
    assert.equal(lazy.disconnectReason(), 0x97);
    assert.ok(lazy.received.filter((p) => p.type === PacketType.publish).length > 1000, 'it was sent more than its window');
    assert.ok(sink.connected, 'the subscriber that acknowledges, however far behind, is still connected');
  });

  it('half a CONNECT, then silence: closed at the 10 s connect timeout', async () => {
    const afterMs = await within(halfConnect.closed, 40_000, 'the close');
    assert.ok(afterMs >= 9000 && afterMs < 20_000, `closed after ${afterMs} ms`);
  });

  it('stops cleanly: exit 0, every acknowledged message processed, each bad client logged with its reason, memory bounded', async (t) => {
    await publisher.endAsync();
    const stopped = await emulator.interrupt();
    sink.end(true);
    assert.equal(stopped.code, 0, stopped.stderr);
    const summary = JSON.parse(stopped.stdout) as { received: number };
    assert.equal(summary.received, acknowledged);
    for (const code of ['0x95 packet too large', '0x90 topic name invalid', '0x81 malformed packet', '0x97 quota exceeded', '0x8d keep alive timeout']) {
      assert.match(stopped.stderr, new RegExp(`disconnected \\(${code}\\)`), code);
    }
    t.diagnostic(`peak memory ${Math.round(stopped.peakMiB!)} MiB`);
    assert.ok(stopped.peakMiB! < PEAK_MIB, `peak memory ${Math.round(stopped.peakMiB!)} MiB`);
    assert.ok(Date.now() - started < 420_000, 'the whole attack took less than seven minutes');
  });
});
