/**
 * MQTT mode on an external broker (`--broker`; on the embedded one the graph attaches in process, see
 * embedded-run.ts): the graph's source subscribes to the source topics, its sink publishes to the sink topic. QoS 1 end
 * to end: a source message is acknowledged only after the graph has handled it and its outputs are handed to the
 * client's outgoing store (kept across reconnects; the session is persistent), so a crash, a lost connection or
 * an interrupt never loses an acknowledged message. mqtt.js processes the next incoming packet only after the
 * previous one is acknowledged, which makes a slow graph slow down the broker's delivery instead of queueing.
 * Source and sink use two connections: the sink's PUBACKs must never wait behind a source message that is itself
 * waiting for sink capacity (one connection deadlocks once a thousand outputs are in flight).
 */
import type { IPublishPacket, MqttClient } from 'mqtt';
import { HlcClock, hlcToMillis } from '../engine/hlc.js';
import { itemFromPublish, publishOptions } from '../mqtt/mqtt-message.js';
import type { PreparedRun } from '../run/instantiate-run.js';
import { RunKernel } from './run-kernel.js';
import { DRAIN_TIMEOUT_MS, LiveFrontier, aborted, settleOutputs, type LiveRunOptions, type MqttRunResult } from './live-run.js';
import { observeLiveRun } from './inspection/run-observation.js';
import { localControl } from './run-control.js';
import { publishTopicOf, toSinkMessage, type SinkMessage } from '../mqtt/sink-message.js';
import type { BrokerConnection } from '../mqtt/broker-flags.js';
import { connectBroker } from '../mqtt/connect-broker.js';

export interface MqttRunOptions extends LiveRunOptions {
  prepared: PreparedRun;
  connection: BrokerConnection;
}

/** Sink publishes handed to mqtt.js and not yet acknowledged; above this many, input waits. */
const MAX_IN_FLIGHT = 1000;
const FIRST_RECONNECT_MS = 1000;
const MAX_RECONNECT_MS = 30_000;

export async function runMqtt(options: MqttRunOptions): Promise<MqttRunResult> {
  const { prepared, signal } = options;
  const client = await connect(options.connection);
  const sinkClient = await connect({ ...options.connection, clientId: `${options.connection.clientId}-sink` }).catch(async (error: unknown) => {
    await client.endAsync();
    throw error;
  });
  const publisher = new Publisher(sinkClient, (message) =>
    prepared.services.log.write({ level: 'error', operation: 'sink', context: 'host', message, time: new Date() }),
  );
  const observation = observeLiveRun(prepared, options);
  const kernel = new RunKernel(prepared, {
    output: (item) => publisher.publish(toSinkMessage(item, publishTopicOf(item, options.sinkTopic), options.qos)),
    observation,
  });
  const { engine } = kernel;
  // One report per outage: both connections go to the same broker and drop together.
  watchConnection(client, options.onEvent);
  watchConnection(sinkClient, undefined);

  const clock = new HlcClock('aio-emulate');
  let received = 0;
  const frontier = new LiveFrontier((millis) => kernel.advance(millis));
  let accepting = true;
  client.handleMessage = (packet: IPublishPacket, done: (error?: Error) => void) => {
    // After the drain, leave messages unacknowledged: the broker keeps them for the next session.
    if (!accepting) return;
    received++;
    const item = itemFromPublish(packet, clock);
    frontier.noteInput(hlcToMillis(item.timestamp));
    kernel.input(packet.topic, item);
    publisher.belowLimit(MAX_IN_FLIGHT).then(() => done(), done);
  };

  try {
    await client.subscribeAsync([...options.sourceTopics], { qos: options.qos });
    options.onEvent?.({
      kind: 'subscribed',
      topics: options.sourceTopics,
      engine,
      moduleMetrics: () => prepared.services.metrics.all(),
      control: localControl(prepared, observation),
    });
    await aborted(signal);

    // Stop taking input: unsubscribe; what the broker sends meanwhile stays unacknowledged in our session.
    if (client.connected) await client.unsubscribeAsync([...options.sourceTopics]).catch(() => undefined);
    accepting = false;
    frontier.stop();
    kernel.finish();
    options.onEvent?.({ kind: 'draining', pending: publisher.pending });
    await settleOutputs(
      { pending: () => publisher.pending, failed: () => 0 },
      DRAIN_TIMEOUT_MS,
      'the broker is unreachable; their source messages stay unacknowledged in the broker session and will be redelivered',
    );
  } finally {
    frontier.stop();
    await observation?.close();
    await Promise.all([client.endAsync().catch(() => undefined), sinkClient.endAsync().catch(() => undefined)]);
  }
  return { engine, received, published: publisher.published };
}

/** Sink-side publishing with a count of unacknowledged messages, so input can wait and shutdown can drain. */
class Publisher {
  pending = 0;
  published = 0;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly client: MqttClient,
    private readonly onError: (message: string) => void,
  ) {}

  publish(message: SinkMessage): void {
    this.pending++;
    // A view, not a copy: the payload is the item's own, which nothing changes once it left the graph.
    const payload = Buffer.from(message.payload.buffer, message.payload.byteOffset, message.payload.byteLength);
    this.client.publish(message.topic, payload, publishOptions(message), (error) => {
      this.pending--;
      if (error) this.onError(`publish to ${message.topic} failed: ${error.message}`);
      else this.published++;
      const ready = this.waiters;
      this.waiters = [];
      for (const wake of ready) wake();
    });
  }

  async belowLimit(limit: number): Promise<void> {
    while (this.pending >= limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

/** The live run's connection: a persistent session, so QoS 1 messages for us wait at the broker while we reconnect. */
function connect(connection: BrokerConnection): Promise<MqttClient> {
  return connectBroker(connection, { persistentSession: true, reconnectPeriod: FIRST_RECONNECT_MS });
}

/** Reports a lost connection and retries with doubling delays (mqtt.js reconnects; we stretch its period). */
function watchConnection(client: MqttClient, onEvent: MqttRunOptions['onEvent']): void {
  let lost = false;
  client.on('error', (error) => onEvent?.({ kind: 'connection-lost', reason: error.message }));
  client.on('offline', () => {
    if (!lost && !client.disconnecting) onEvent?.({ kind: 'connection-lost', reason: 'the broker closed the connection' });
    lost = true;
  });
  client.on('reconnect', () => {
    onEvent?.({ kind: 'reconnecting', delayMs: client.options.reconnectPeriod ?? FIRST_RECONNECT_MS });
    client.options.reconnectPeriod = Math.min(MAX_RECONNECT_MS, (client.options.reconnectPeriod ?? FIRST_RECONNECT_MS) * 2);
  });
  client.on('connect', () => {
    client.options.reconnectPeriod = FIRST_RECONNECT_MS;
    if (lost) onEvent?.({ kind: 'reconnected' });
    lost = false;
  });
}
