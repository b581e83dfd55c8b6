/**
 * `aio emulate` figures, each against a baseline measured in the same run:
 * (a) in-process throughput of source → map → filter → sink on the hand-made WAT component, against bare jco
 *     making the same two calls per message (the goal: ≥ 0.5); one bare call and jco's unpatched output
 *     are shown for reference;
 * (b) MQTT end to end through the embedded broker with that two-operator graph, against the same broker
 *     forwarding publisher → subscriber with no graph, and against the bound: the in-process hop with no modules
 *     writing the sink's `__ts` property (goal: ≥ 0.9 of the bound); `aio emulate --broker` in a process of its
 *     own on mosquitto, against mosquitto forwarding (goal: ≥ 0.5); each with the default call deadline (calls
 *     bounded by the instrumented modules) and with `--call-deadline 0` (the modules as built, no bound);
 * (c) start of `aio emulate` to the first processed message, warm module cache, against `aio --version`;
 * (d) resident memory over 1,000,000 messages through the engine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { formatTs, HlcClock } from '../src/engine/hlc.js';
import { createMessage } from '../src/engine/message.js';
import { startEmbeddedBroker } from '../src/mqtt/embedded-broker.js';
import type { MqttRunEvent } from '../src/emulator/live-run.js';
import { runMqtt } from '../src/emulator/mqtt-run.js';
import { runEmbedded } from '../src/emulator/embedded-run.js';
import { createEngine, type PreparedRun, type RunPlan } from '../src/run/instantiate-run.js';
import { planRun, prepareRun } from '../src/run/prepare-run.js';
import { repoRoot } from '../test/helpers/paths.js';
import { startMosquitto } from '../test/helpers/mosquitto.js';
import { startEmulator } from '../test/helpers/emulator-process.js';
import { DEFAULT_RUN_LIMITS } from '../src/run/run-limits.js';
import { DEFAULT_BROKER_LIMITS } from '../src/mqtt/broker-limits.js';
import type { BenchRow } from './graph-validate.js';
import { MAP_FILTER_GRAPH } from './map-filter-graph.js';

const THROUGHPUT_MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 50_000);
const MQTT_MESSAGES = Number(process.env['BENCH_MQTT_MESSAGES'] ?? 20_000);
const WARM_UP_MESSAGES = 5_000;
const MEMORY_MESSAGES = 1_000_000;

const payload = '{"temperature": 71.5, "unit": "F"}';

/**
 * The brokers hold the whole flood the bench publishes at once. With their defaults a graph client that fell
 * behind would be let go (1,000 messages queued for it unread) and its session queue would drop the oldest past
 * 1,000: messages lost, and a delivery that never completes. The bench measures throughput, not those limits.
 */
const FLOOD_LIMITS = { ...DEFAULT_BROKER_LIMITS, maxInflight: 1_000_000, maxQueued: 1_000_000 };
const MOSQUITTO_FLOOD_CONFIG = 'max_queued_messages 0\nmax_queued_bytes 0\n';
/** A delivery that makes no progress for this long has lost messages: the bench fails instead of waiting forever. */
const STALL_MS = 60_000;

export interface EmulateBench {
  rows: BenchRow[];
  memory: string[];
}

export async function benchEmulate(): Promise<EmulateBench> {
  const dir = mkdtempSync(join(tmpdir(), 'aio-bench-emulate-'));
  process.env['AIO_CACHE_DIR'] = join(dir, 'cache');
  const graphFile = join(dir, 'graph.yaml');
  writeFileSync(graphFile, MAP_FILTER_GRAPH);
  try {
    const planOptions = { graphFile, moduleDirs: [join(repoRoot, 'test', 'fixtures', 'components', 'build')], params: [] };
    const onThread = { ...planOptions, limits: { ...DEFAULT_RUN_LIMITS, callDeadlineMs: 0 } };
    const prepare = (options = planOptions) => prepareRun({ ...options, log: { minLevel: 'warn', write() {} } });
    const step = (name: string) => process.stderr.write(`emulate bench: ${name}\n`);
    step('(a) in-process throughput');
    const rows = await inProcess();
    step('(b) MQTT end to end');
    const runs = {
      plan: await planRun(planOptions),
      prepared: await prepare(),
      planOnThread: await planRun(onThread),
      preparedOnThread: await prepare(onThread),
    };
    rows.push(...(await overMqtt(runs)));
    await Promise.all([runs.prepared.close(), runs.preparedOnThread.close()]);
    step('(b) aio emulate --broker on mosquitto');
    rows.push(...(await overMosquitto(graphFile)));
    step('(c) start to first message');
    rows.push(...(await startToFirstMessage(graphFile)));
    step('(d) memory over 1,000,000 messages');
    return { rows, memory: memoryOverMessages(await prepare()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** (a) */
async function inProcess(): Promise<BenchRow[]> {
  // Every figure comes from a process of its own: jco's generated bindings are shared by every instance and V8
  // specialises them on the value shapes met first, so two loops in one process skew each other.
  const perCall =
    (variant: string, ...extra: string[]) =>
    () =>
      (
        JSON.parse(
          execFileSync(process.execPath, [join(repoRoot, 'dist', 'bench', 'per-call.js'), variant, 'map', String(THROUGHPUT_MESSAGES), ...extra]).toString(),
        ) as { ms: number }
      ).ms;
  const { bare, engine, single, stock } = await mediansOfRounds({
    bare: perCall('pipeline'),
    engine: perCall('engine'),
    single: perCall('plain'),
    stock: perCall('pipeline', 'stock'),
  });
  const rate = (ms: number) => (THROUGHPUT_MESSAGES / ms) * 1000;
  const rows = [
    {
      name: '(a) bare jco, map then filter per message (baseline)',
      ms: bare,
      ratio: 1,
      note: `${Math.round(rate(bare))} msg/s; the two calls the graph makes, on aio's transpiled output`,
    },
    {
      name: '(a) engine source→map→filter→sink',
      ms: engine,
      ratio: rate(engine) / rate(bare),
      note: `${Math.round(rate(engine))} msg/s; ratio = rate / baseline rate; goal ≥ 0.50`,
    },
    {
      name: '(a) for reference: one bare jco map call',
      ms: single,
      ratio: rate(engine) / rate(single),
      note: `${Math.round(rate(single))} calls/s; ratio = engine msg/s / these calls/s`,
    },
    {
      name: "(a) for reference: baseline on jco's stock output",
      ms: stock,
      ratio: rate(stock) / rate(bare),
      note: `${Math.round(rate(stock))} msg/s; without aio's output patches`,
    },
  ];
  return rows;
}

/**
 * (b) QoS 1 both ways; a publisher with all messages in flight, a subscriber counting arrivals, both clients in
 * this process as in the baseline. The graph runs attached to the embedded broker, on its worker thread (what
 * `aio emulate` does). For reference: the in-process hop with no modules, as it is and writing the one property
 * every sink message carries (`__ts`), which bounds what any graph can reach; and the graph as an external-broker
 * client over two loopback MQTT connections (what `aio emulate --broker` does). Each measurement follows a
 * warm-up of the same path.
 */
interface MqttRuns {
  plan: RunPlan;
  prepared: PreparedRun;
  /** The same with `--call-deadline 0`: the modules as built, no bound. */
  planOnThread: RunPlan;
  preparedOnThread: PreparedRun;
}

async function overMqtt(runs: MqttRuns): Promise<BenchRow[]> {
  const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, limits: FLOOD_LIMITS });
  broker.acceptClients(); // the bench's own hops attach and detach per measurement
  const clock = new HlcClock('aio-emulate');
  const hop = (properties: () => Record<string, unknown> | undefined) => async () => {
    const detach = await broker.attach(['bench/in'], (packet, done) => {
      const added = properties();
      void broker.publish({ ...packet, topic: 'bench/out', ...(added === undefined ? {} : { properties: added }) });
      queueMicrotask(done);
    });
    try {
      return await timedDelivery(broker.url, 'bench/in', 'bench/out');
    } finally {
      await detach();
    }
  };
  const attached = (plan: RunPlan, log: PreparedRun['services']['log']) => () =>
    withRun((signal, onEvent) => runEmbedded({ plan, log, broker, sourceTopics: ['bench/in'], sinkTopic: 'bench/out', qos: 1, signal, onEvent }), broker.url);
  const connected = (prepared: PreparedRun) => () =>
    withRun(
      (signal, onEvent) =>
        runMqtt({
          prepared,
          connection: { url: broker.url, clientId: 'aio-bench-emulator', rejectUnauthorized: true },
          sourceTopics: ['bench/in'],
          sinkTopic: 'bench/out',
          qos: 1,
          signal,
          onEvent,
        }),
      broker.url,
    );
  try {
    // An attached run ends by refusing publishes on its source topic until the next attach (embedded-run.ts): the
    // measurements that do not attach (plain forwarding, the clients of --broker) lift that first.
    const unrefused = (measure: () => Promise<number>) => () => {
      broker.refusePublishes([]);
      return measure();
    };
    const ms = await mediansOfRounds({
      forward: unrefused(() => timedDelivery(broker.url, 'bench/in', 'bench/in')),
      bareHop: hop(() => undefined),
      stampedHop: hop(() => ({ userProperties: { __ts: formatTs(clock.next()) } })),
      attached: attached(runs.plan, runs.prepared.services.log),
      attachedOnThread: attached(runs.planOnThread, runs.prepared.services.log),
      connected: unrefused(connected(runs.prepared)),
      connectedOnThread: unrefused(connected(runs.preparedOnThread)),
    });
    const { forward, stampedHop } = ms;
    const rate = (ms: number) => `${Math.round((MQTT_MESSAGES / ms) * 1000)} msg/s`;
    const ofBound = (ms: number) => `${(stampedHop / ms).toFixed(2)} of the bound`;
    return [
      { name: '(b) embedded broker forwarding, no graph (baseline)', ms: forward, ratio: 1, note: rate(forward) },
      {
        name: '(b) MQTT → map → filter → MQTT, graph on its worker thread',
        ms: ms.attached,
        ratio: forward / ms.attached,
        note: `${rate(ms.attached)}; ratio = rate / baseline rate; ${ofBound(ms.attached)}; goal ≥ 0.90 of the bound`,
      },
      {
        name: '(b) the same, --call-deadline 0 (modules as built, no bound)',
        ms: ms.attachedOnThread,
        ratio: forward / ms.attachedOnThread,
        note: `${rate(ms.attachedOnThread)}; ${ofBound(ms.attachedOnThread)}`,
      },
      { name: '(b) for reference: in-process hop, no modules', ms: ms.bareHop, ratio: forward / ms.bareHop, note: rate(ms.bareHop) },
      {
        name: '(b) for reference: the same hop writing __ts as a sink does',
        ms: stampedHop,
        ratio: forward / stampedHop,
        note: `${rate(stampedHop)}; the bound for any graph`,
      },
      {
        name: '(b) for reference: graph in this process over two loopback connections',
        ms: ms.connected,
        ratio: forward / ms.connected,
        note: `${rate(ms.connected)}; as --broker does, but broker, graph and clients share this thread`,
      },
      {
        name: '(b) for reference: the same, --call-deadline 0',
        ms: ms.connectedOnThread,
        ratio: forward / ms.connectedOnThread,
        note: rate(ms.connectedOnThread),
      },
    ];
  } finally {
    await broker.close();
  }
}

/**
 * (b) over `--broker`: mosquitto (a process of its own, as an external broker is) forwarding publisher →
 * subscriber, against `aio emulate --broker` (a process of its own) between the same clients: two loopback
 * connections more per message, and the graph.
 */
async function overMosquitto(graphFile: string): Promise<BenchRow[]> {
  const mosquitto = await startMosquitto(MOSQUITTO_FLOOD_CONFIG);
  const modules = join(repoRoot, 'test', 'fixtures', 'components', 'build');
  const throughEmulator = (extra: string[]) => async () => {
    const args = [graphFile, '--broker', mosquitto.url, '--modules', modules, '--source-topic', 'bench/in', '--sink-topic', 'bench/out', ...extra];
    const emulator = await startEmulator(args);
    try {
      return await timedDelivery(mosquitto.url, 'bench/in', 'bench/out');
    } finally {
      await emulator.interrupt();
    }
  };
  try {
    const ms = await mediansOfRounds({
      forward: () => timedDelivery(mosquitto.url, 'bench/in', 'bench/in'),
      emulator: throughEmulator([]),
      emulatorOnThread: throughEmulator(['--call-deadline', '0']),
    });
    const rate = (ms: number) => `${Math.round((MQTT_MESSAGES / ms) * 1000)} msg/s`;
    return [
      { name: '(b) mosquitto forwarding, no graph (baseline)', ms: ms.forward, ratio: 1, note: rate(ms.forward) },
      {
        name: '(b) aio emulate --broker mosquitto, MQTT → map → filter → MQTT',
        ms: ms.emulator,
        ratio: ms.forward / ms.emulator,
        note: `${rate(ms.emulator)}; ratio = rate / baseline rate; goal ≥ 0.50`,
      },
      {
        name: '(b) the same, --call-deadline 0',
        ms: ms.emulatorOnThread,
        ratio: ms.forward / ms.emulatorOnThread,
        note: `${rate(ms.emulatorOnThread)}; the modules as built (and a supervisor process)`,
      },
    ];
  } finally {
    await mosquitto.stop();
  }
}

/**
 * Runs every measurement once per round, taking turns, for `rounds` rounds, and returns each one's median: this
 * machine's speed drifts by tens of per cent within minutes, and turns spread the drift over all of them.
 */
export async function mediansOfRounds<K extends string>(measures: Record<K, () => number | Promise<number>>, rounds = 3): Promise<Record<K, number>> {
  const times = new Map<K, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, measure] of Object.entries(measures) as Array<[K, () => number | Promise<number>]>) {
      times.set(name, [...(times.get(name) ?? []), await measure()]);
    }
  }
  return Object.fromEntries([...times].map(([name, ms]) => [name, ms.sort((a, b) => a - b)[Math.floor(rounds / 2)]!])) as Record<K, number>;
}

/** Starts a run, times the delivery of MQTT_MESSAGES through it, then interrupts it and waits for its drain. */
export async function withRun(start: (signal: AbortSignal, onEvent: (event: MqttRunEvent) => void) => Promise<unknown>, url: string): Promise<number> {
  const controller = new AbortController();
  let subscribed!: () => void;
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  const run = start(controller.signal, (event) => event.kind === 'subscribed' && subscribed());
  await Promise.race([ready, run]);
  const ms = await timedDelivery(url, 'bench/in', 'bench/out');
  controller.abort();
  await run;
  return ms;
}

/** Delivers WARM_UP_MESSAGES untimed, then times MQTT_MESSAGES from the first publish to the last arrival. */
async function timedDelivery(url: string, publishTopic: string, receiveTopic: string): Promise<number> {
  const sub = await mqtt.connectAsync(url, { protocolVersion: 5 });
  const pub = await mqtt.connectAsync(url, { protocolVersion: 5 });
  await sub.subscribeAsync(receiveTopic, { qos: 1 });
  const deliver = async (count: number): Promise<number> => {
    let received = 0;
    let stalled: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve, reject) => {
      const stall = () => reject(new Error(`bench: ${received} of ${count} messages arrived on ${receiveTopic}, then none for ${STALL_MS / 1000} s`));
      stalled = setTimeout(stall, STALL_MS);
      const onMessage = () => {
        stalled?.refresh();
        if (++received < count) return;
        clearTimeout(stalled);
        sub.off('message', onMessage);
        resolve();
      };
      sub.on('message', onMessage);
    });
    const started = performance.now();
    for (let i = 0; i < count; i++) pub.publish(publishTopic, payload, { qos: 1 });
    await done;
    return performance.now() - started;
  };
  await deliver(WARM_UP_MESSAGES);
  const ms = await deliver(MQTT_MESSAGES);
  await pub.endAsync();
  await sub.endAsync();
  return ms;
}

/** (c) a fresh `aio emulate` process, warm cache: spawn → first sink message at a subscriber. */
async function startToFirstMessage(graphFile: string): Promise<BenchRow[]> {
  const bin = join(repoRoot, 'bin', 'run.js');
  const modules = join(repoRoot, 'test', 'fixtures', 'components', 'build');
  const emulate = [bin, 'emulate', graphFile, '--port', '0', '--modules', modules, '--source-topic', 'bench/in', '--sink-topic', 'bench/out'];
  const firstMessage = async (stderr: () => string) => {
    while (!/^ready: /m.test(stderr())) await new Promise((r) => setTimeout(r, 2));
    const url = /^broker: (\S+)/m.exec(stderr())![1]!;
    const client = await mqtt.connectAsync(url, { protocolVersion: 5 });
    const first = new Promise<void>((resolve) => client.once('message', () => resolve()));
    await client.subscribeAsync('bench/out', { qos: 1 });
    await client.publishAsync('bench/in', payload, { qos: 1 });
    await first;
    await client.endAsync();
  };
  const ms = await mediansOfRounds({
    version: () => timedProcess([bin, '--version'], (_stderr, exited) => exited),
    first: () => timedProcess(emulate, firstMessage),
  });
  return [
    { name: '(c) aio --version (baseline: CLI start)', ms: ms.version, ratio: 1, note: '' },
    { name: '(c) aio emulate start → first message', ms: ms.first, ratio: ms.first / ms.version, note: 'warm module cache; goal < 500 ms' },
  ];
}

/** Time from spawn until `whileRunning` resolves (it may wait for the exit itself); then the child is interrupted. */
async function timedProcess(args: string[], whileRunning: (stderr: () => string, exited: Promise<void>) => Promise<void>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await whileRunning(() => stderr, exited);
  const ms = performance.now() - started;
  if (child.exitCode === null) child.kill('SIGINT');
  await exited;
  return ms;
}

/** (d) */
function memoryOverMessages(prepared: PreparedRun): string[] {
  const engine = createEngine(prepared, () => {});
  const lines: string[] = [];
  const step = MEMORY_MESSAGES / 5;
  for (let i = 1; i <= MEMORY_MESSAGES; i++) {
    engine.push(
      createMessage({
        timestamp: { secs: 1_763_000_000 + Math.floor(i / 1000), nanos: i % 1000, counter: 0, nodeId: 'n' },
        topic: 'factory/line1',
        payload,
        userProperties: [['k', 'v']],
      }),
    );
    if (i % step === 0) {
      globalThis.gc?.();
      const m = process.memoryUsage();
      lines.push(`after ${String(i).padStart(9)} messages: rss ${(m.rss / 2 ** 20).toFixed(0)} MiB, heap ${(m.heapUsed / 2 ** 20).toFixed(0)} MiB`);
    }
  }
  return lines;
}
