/**
 * MQTT mode on the embedded broker: the graph is attached to the broker inside this process instead of through
 * two loopback MQTT connections, so a message costs one broker hop in and one out, as in the cluster where the
 * dataflow runs beside its broker. The graph itself runs on a worker thread (graph-worker.ts), beside the broker's
 * thread. Same guarantees as `runMqtt`: a source publish is acknowledged to its publisher only once the graph holds
 * it, a slow graph slows the publishers (their acknowledgements wait while the graph's backlog is full), and an
 * interrupt stops input, handles every publish the broker accepted, and drains.
 */
import type { RunLog } from '../engine/run-log.js';
import type { EmbeddedBroker, InProcessPacket } from '../mqtt/embedded-broker.js';
import { GraphWorker } from './graph-worker.js';
import type { GraphThread } from './graph-thread.js';
import { DRAIN_TIMEOUT_MS, aborted, settleOutputs, until, type LiveRunOptions, type MqttRunResult } from './live-run.js';
import type { LoadedModule, RunPlan } from '../run/instantiate-run.js';

export interface EmbeddedRunOptions extends LiveRunOptions {
  plan: RunPlan;
  log: RunLog;
  onModuleLoaded?: (loaded: LoadedModule) => void;
  broker: EmbeddedBroker;
  /** The graph's thread when it was spawned ahead (GraphThread.spawn); otherwise the run spawns it. */
  thread?: GraphThread | undefined;
}

export async function runEmbedded(options: EmbeddedRunOptions): Promise<MqttRunResult> {
  const { broker, signal, log } = options;
  let pending = 0;
  let published = 0;
  let failed = 0;
  // One callback per output, no promises: this runs for every message on the broker's own thread.
  const settled = (error: Error | undefined, packet: InProcessPacket) => {
    pending--;
    if (!error) return void published++;
    failed++;
    log.write({ level: 'error', operation: 'sink', context: 'host', message: `publish to ${packet.topic} failed: ${error.message}`, time: new Date() });
  };
  const publish = (packet: InProcessPacket) => {
    pending++;
    broker.publishThen(packet, settled);
  };
  const graph = await GraphWorker.start(
    {
      plan: options.plan,
      sinkTopic: options.sinkTopic,
      qos: options.qos,
      log,
      traceFile: options.traceFile,
      inspect: options.inspect === true,
      step: options.step === true,
      onOutput: publish,
      ...(options.onModuleLoaded === undefined ? {} : { onModuleLoaded: options.onModuleLoaded }),
    },
    options.thread,
  );

  let received = 0;
  // The publisher's PUBACK waits for this `done`. Outputs go into the broker's own queue (same process, same
  // in-memory store), so once the graph holds an input it is as safe as the broker's copy of it was.
  const detach = await broker.attach(options.sourceTopics, (packet: InProcessPacket, done) => {
    received++;
    graph.push(packet);
    // Later, not now: the broker starts its next queued delivery inside `done`, which would nest without bound.
    graph.whenRoom(() => queueMicrotask(done));
  });
  // Only now may clients be answered: anything published earlier would be acknowledged and then lost.
  broker.acceptClients();
  try {
    options.onEvent?.({
      kind: 'subscribed',
      topics: options.sourceTopics,
      engine: graph,
      moduleMetrics: () => graph.moduleMetrics,
      control: graph.control,
    });
    await Promise.race([aborted(signal), graph.failed]);
    options.onEvent?.({ kind: 'interrupted', backlog: broker.acceptedOnAttached() - received + graph.backlog });
    // Stop taking input, then handle every publish the broker had already accepted before detaching.
    broker.refusePublishes(options.sourceTopics);
    await Promise.race([until(() => received >= broker.acceptedOnAttached(), DRAIN_TIMEOUT_MS), graph.failed]);
    await graph.finish();
    options.onEvent?.({ kind: 'draining', pending });
    await settleOutputs(
      { pending: () => pending, failed: () => failed },
      DRAIN_TIMEOUT_MS,
      'the embedded broker refused or did not take them; the log says why for each',
    );
    await broker.deliveriesSettled(2000);
  } finally {
    await detach();
    await graph.terminate();
  }
  return { engine: graph, received, published };
}
