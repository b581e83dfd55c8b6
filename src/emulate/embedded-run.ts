/**
 * MQTT mode on the embedded broker: the graph is attached to the broker inside this process instead of through
 * two loopback MQTT connections, so a message costs one broker hop in and one out, as in the cluster where the
 * dataflow runs beside its broker. Same guarantees as `runMqtt`: a source publish is acknowledged to its
 * publisher only after the graph handled it and its outputs are in the broker (QoS 1 end to end), a slow graph
 * slows the publishers (the graph runs inside the broker's delivery), and an interrupt stops input, handles
 * every publish the broker accepted, and drains.
 */
import type { GraphEngine } from '../engine/graph-engine.js';
import { HlcClock, hlcFromMillis } from '../engine/hlc.js';
import type { EmbeddedBroker, InProcessPacket } from './embedded-broker.js';
import { itemFromPublish, publishOptions } from './mqtt-message.js';
import type { MqttRunEvent, MqttRunResult } from './mqtt-run.js';
import { FRONTIER_TICK_MS, LIVE_LATENESS_MS, DRAIN_TIMEOUT_MS, aborted, until } from './mqtt-run.js';
import { createEngine, type PreparedRun } from './prepare-run.js';
import { toSinkMessage } from './sink-message.js';

export interface EmbeddedRunOptions {
  prepared: PreparedRun;
  broker: EmbeddedBroker;
  sourceTopics: readonly string[];
  sinkTopic: string;
  qos: 0 | 1;
  signal: AbortSignal;
  onEvent?: (event: MqttRunEvent) => void;
}

export async function runEmbedded(options: EmbeddedRunOptions): Promise<MqttRunResult> {
  const { prepared, broker, signal } = options;
  const log = (message: string) => prepared.services.log.write({ level: 'error', operation: 'sink', context: 'host', message, time: new Date() });
  let pending = 0;
  let published = 0;
  const engine: GraphEngine = createEngine(prepared, (item) => {
    const message = toSinkMessage(item, options.sinkTopic, options.qos);
    const { qos, retain, properties } = publishOptions(message);
    pending++;
    broker
      .publish({ topic: message.topic, payload: Buffer.from(message.payload), qos: qos ?? options.qos, retain: retain ?? false, ...(properties === undefined ? {} : { properties: properties as Record<string, unknown> }) })
      .then(
        () => published++,
        (error: Error) => log(`publish to ${message.topic} failed: ${error.message}`),
      )
      .finally(() => pending--);
  });

  const clock = new HlcClock('aio-emulate');
  let received = 0;
  // The publisher's PUBACK waits for this `done`. Outputs are already in the broker's own queue (same process,
  // same in-memory store), so they are as safe as the broker's copy of the input was. Waiting here for them to be
  // routed would deadlock: they queue in the broker behind the very source publishes that would be waiting.
  const detach = await broker.attach(options.sourceTopics, (packet: InProcessPacket, done) => {
    received++;
    engine.push(itemFromPublish(packet, clock));
    // Later, not now: the broker starts its next queued delivery inside `done`, which would nest without bound.
    queueMicrotask(done);
  });
  const ticker = setInterval(() => engine.advance(hlcFromMillis(Date.now() - LIVE_LATENESS_MS)), FRONTIER_TICK_MS);
  try {
    options.onEvent?.({ kind: 'subscribed', topics: options.sourceTopics, engine });
    await aborted(signal);
    // Stop taking input, then handle every publish the broker had already accepted before detaching.
    broker.refusePublishes(options.sourceTopics);
    await until(() => received >= broker.acceptedOnAttached(), DRAIN_TIMEOUT_MS);
    clearInterval(ticker);
    engine.finish();
    options.onEvent?.({ kind: 'draining', pending });
    await until(() => pending === 0, DRAIN_TIMEOUT_MS);
    await broker.deliveriesSettled(2000);
    await detach();
  } finally {
    clearInterval(ticker);
  }
  return { engine, received, published };
}
