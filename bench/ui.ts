/**
 * What `aio emulate --ui` costs a live run: MQTT → map → filter → MQTT through the embedded broker (the graph on
 * its worker thread, as `aio emulate` runs it), with the dashboard's server attached, a page's event stream
 * connected and the inspector asked for an operation's last messages twice a second, against the same run
 * without a dashboard, in the same process (goal: ≥ 0.9).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEmbedded } from '../src/emulator/embedded-run.js';
import type { MqttRunEvent } from '../src/emulator/live-run.js';
import { startRunServer } from '../src/emulator/server/run-server.js';
import { startEmbeddedBroker } from '../src/mqtt/embedded-broker.js';
import { planRun, prepareRun } from '../src/run/prepare-run.js';
import { createEngine } from '../src/run/instantiate-run.js';
import { createMessage } from '../src/engine/message.js';
import { RunObservation, feed } from '../src/emulator/inspection/run-observation.js';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../test/helpers/paths.js';
import { mediansOfRounds, withRun } from './emulate.js';
import type { BenchRow } from './graph-validate.js';
import { MAP_FILTER_GRAPH } from './map-filter-graph.js';

const INSPECT_EVERY_MS = 500;
const ENGINE_MESSAGES = 20_000;
const payload = '{"temperature": 71.5, "unit": "F"}';

export async function benchUi(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aio-bench-ui-'));
  process.env['AIO_CACHE_DIR'] = join(dir, 'cache');
  const graphFile = join(dir, 'graph.yaml');
  writeFileSync(graphFile, MAP_FILTER_GRAPH);
  const plan = await planRun({ graphFile, moduleDirs: [join(repoRoot, 'test', 'fixtures', 'components', 'build')], params: [] });
  const log = { minLevel: 'warn' as const, write() {} };
  const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
  broker.acceptClients();
  const run = (inspect: boolean) => (signal: AbortSignal, onEvent: (event: MqttRunEvent) => void) =>
    runEmbedded({ plan, log, broker, sourceTopics: ['bench/in'], sinkTopic: 'bench/out', qos: 1, signal, onEvent, inspect });

  const withDashboard = async (): Promise<number> => {
    const server = await startRunServer({ host: '127.0.0.1', port: 0 }, { graph: plan.graph });
    const page = new AbortController();
    let inspector: NodeJS.Timeout | undefined;
    try {
      return await withRun(
        (signal, onEvent) =>
          run(true)(signal, (event) => {
            if (event.kind === 'subscribed') {
              server.attach({ stats: event.engine.stats, moduleMetrics: event.moduleMetrics, inspect: event.control.inspect });
              void readEvents(`${server.url}api/events`, page.signal);
              inspector = setInterval(
                () =>
                  void fetch(`${server.url}api/operations/map`, { signal: page.signal }).then(
                    (r) => r.text(),
                    () => '',
                  ),
                INSPECT_EVERY_MS,
              );
            }
            onEvent(event);
          }),
        broker.url,
      );
    } finally {
      clearInterval(inspector);
      page.abort();
      await server.close();
    }
  };

  const engineOnly = async (inspect: boolean): Promise<number> => {
    const prepared = await prepareRun({ graphFile, moduleDirs: [join(repoRoot, 'test', 'fixtures', 'components', 'build')], params: [], log });
    const observation = inspect ? RunObservation.create(prepared.graph, { inspect: { stateStore: prepared.services.stateStore } }) : undefined;
    const engine = createEngine(prepared, () => undefined, observation?.observer);
    let i = 0;
    const push = () =>
      feed(
        engine,
        observation,
        'bench/in',
        createMessage({
          timestamp: { secs: 1_763_000_000 + Math.floor(i / 100), nanos: (i++ % 100) * 1e6, counter: 0, nodeId: 'n' },
          topic: 'bench/in',
          payload,
        }),
      );
    try {
      for (let n = 0; n < 2000; n++) push();
      const started = performance.now();
      for (let n = 0; n < ENGINE_MESSAGES; n++) push();
      return performance.now() - started;
    } finally {
      await prepared.close();
    }
  };

  try {
    const engine = await mediansOfRounds({ plain: () => engineOnly(false), inspected: () => engineOnly(true) });
    // Five rounds, not three: with the broker, the graph and the module thread on two cores, single runs vary a lot.
    const { plain, dashboard } = await mediansOfRounds({ plain: () => withRun(run(false), broker.url), dashboard: withDashboard }, 5);
    return [
      { name: 'MQTT → map → filter → MQTT, no --ui (baseline)', ms: plain, ratio: 1, note: '' },
      {
        name: 'the same with --ui: event stream connected, inspector asked twice a second',
        ms: dashboard,
        ratio: plain / dashboard,
        note: 'ratio = throughput / baseline (goal ≥ 0.9)',
      },
      {
        name: `for reference: the engine alone, ${ENGINE_MESSAGES.toLocaleString('en')} msgs, no --ui`,
        ms: engine.plain,
        ratio: 1,
        note: 'what the graph thread does',
      },
      {
        name: 'for reference: the engine alone, recording for --ui',
        ms: engine.inspected,
        ratio: engine.plain / engine.inspected,
        note: 'journeys and recent items: the cost on the graph thread, which the broker thread hides in part',
      },
    ];
  } finally {
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A page's event stream: read until aborted. */
async function readEvents(url: string, signal: AbortSignal): Promise<void> {
  try {
    const response = await fetch(url, { signal });
    for await (const _chunk of response.body!) {
      // a page would draw it
    }
  } catch {
    // aborted at the end of the measurement
  }
}
