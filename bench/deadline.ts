/**
 * What the per-call deadline costs: messages through the engine with the default 5 s deadline (module calls bounded
 * by the instrumented modules on the engine's thread) against the same run with no deadline (`--call-deadline 0`,
 * the modules as built), in the same process; the module thread (where instrumentation cannot bound a call) is
 * shown for reference. Two graphs: map → filter on the hand-made WAT component (a call costs ~2 µs: the worst
 * case for any per-call overhead) and the thermostat example (five JavaScript-built operations, as a user's graph
 * is). Then the instrumentation alone: one map call on the WAT, QuickJS and SpiderMonkey conformance components,
 * instrumented against as built.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMessage } from '../src/engine/message.js';
import { MemoryLog } from '../src/engine/run-log.js';
import { createEngine } from '../src/run/instantiate-run.js';
import { prepareRun } from '../src/run/prepare-run.js';
import { DEFAULT_RUN_LIMITS } from '../src/run/run-limits.js';
import { fixtureComponent, testServices } from '../test/helpers/components.js';
import { loadComponentFile } from '../src/wasm/load-component.js';
import { OperatorModule } from '../src/wasm/operator-module.js';
import type { RunLimits } from '../src/run/run-limits.js';
import { repoRoot } from '../test/helpers/paths.js';
import type { BenchRow } from './graph-validate.js';
import { MAP_FILTER_GRAPH } from './map-filter-graph.js';

const encoder = new TextEncoder();

/** Messages per second through the graph, after a warm-up. */
async function throughput(graphFile: string, moduleDirs: string[], limits: RunLimits, messages: number, payload: (i: number) => string): Promise<number> {
  const prepared = await prepareRun({ graphFile, moduleDirs, params: [], limits, log: new MemoryLog('error') });
  try {
    const engine = createEngine(prepared, () => undefined);
    let i = 0;
    const push = (): void =>
      engine.push(
        createMessage({
          timestamp: { secs: 1_763_000_000 + Math.floor(i / 1000), nanos: (i % 1000) * 1000, counter: 0, nodeId: 'n' },
          topic: 'sensors/t',
          payload: encoder.encode(payload(i++)),
        }),
      );
    for (let w = 0; w < Math.min(2000, messages / 5); w++) push();
    const started = performance.now();
    for (let n = 0; n < messages; n++) push();
    engine.finish();
    return messages / ((performance.now() - started) / 1000);
  } finally {
    await prepared.close();
  }
}

const HOSTS: Array<{ name: string; limits: RunLimits }> = [
  { name: 'no deadline (baseline)', limits: { ...DEFAULT_RUN_LIMITS, callDeadlineMs: 0 } },
  { name: '5 s deadline, bounded in the module (default)', limits: DEFAULT_RUN_LIMITS },
  { name: '5 s deadline on a module thread (reference)', limits: { ...DEFAULT_RUN_LIMITS, moduleThread: true } },
];

async function compare(name: string, graphFile: string, moduleDirs: string[], messages: number, payload: (i: number) => string): Promise<BenchRow[]> {
  // Alternated, best of five each: the two cores are shared with the rest of the machine.
  const best = HOSTS.map(() => 0);
  for (let round = 0; round < 5; round++) {
    for (const [i, host] of HOSTS.entries()) best[i] = Math.max(best[i]!, await throughput(graphFile, moduleDirs, host.limits, messages, payload));
  }
  return HOSTS.map((host, i) => ({
    name: `${name}, ${host.name}`,
    ms: (messages / best[i]!) * 1000,
    ratio: best[i]! / best[0]!,
    note: `${Math.round(best[i]!).toLocaleString('en')} msg/s${i === 1 ? '; ratio = throughput / baseline (goal ≥ 0.95)' : ''}`,
  }));
}

/**
 * µs of CPU per map call on one conformance component, as built and instrumented, alternated, best of five. CPU
 * time, not wall time: both run on this one thread, and the machine's other load would otherwise swamp a 10 % gap.
 */
async function instrumentationCost(fixture: string, label: string): Promise<BenchRow[]> {
  const services = { ...testServices(), log: { minLevel: 'error' as const, write() {} } };
  const item = createMessage({
    timestamp: { secs: 1_763_000_000, nanos: 0, counter: 0, nodeId: 'n' },
    topic: 'sensors/t',
    payload: encoder.encode('{"temperature": 71.5, "unit": "F"}'),
  });
  const operator = async (bounded: boolean): Promise<OperatorModule> => {
    const component = await loadComponentFile(fixtureComponent(fixture), DEFAULT_RUN_LIMITS.memoryLimitMiB, bounded);
    if (bounded && !component.bounded) throw new Error(`${fixture} could not be instrumented: ${component.unboundedReason}`);
    const limits = bounded ? DEFAULT_RUN_LIMITS : undefined;
    return OperatorModule.create({ component, operation: 'bench/map', interface: 'map', configuration: { properties: [] }, services, limits });
  };
  const variants = [await operator(false), await operator(true)];
  const calls = fixture === 'conformance-wat' ? 50_000 : 5_000;
  const best = [Infinity, Infinity];
  for (let round = 0; round < 5; round++) {
    for (const [i, module] of variants.entries()) {
      for (let w = 0; w < calls / 10; w++) module.map(item);
      const started = process.cpuUsage();
      for (let n = 0; n < calls; n++) module.map(item);
      const used = process.cpuUsage(started);
      best[i] = Math.min(best[i]!, (used.user + used.system) / calls);
    }
  }
  await Promise.all(variants.map((module) => module.close()));
  return [
    { name: `${label} map call, as built (baseline)`, ms: best[0]! / 1000, ratio: 1, note: `${best[0]!.toFixed(2)} µs/call` },
    {
      name: `${label} map call, instrumented`,
      ms: best[1]! / 1000,
      ratio: best[0]! / best[1]!,
      note: `${best[1]!.toFixed(2)} µs/call; ratio = speed / as built`,
    },
  ];
}

export async function benchDeadline(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aio-bench-deadline-'));
  writeFileSync(join(dir, 'graph.yaml'), MAP_FILTER_GRAPH);
  const wat = await compare(
    'WAT map → filter, 50,000 msgs',
    join(dir, 'graph.yaml'),
    [dirname(fixtureComponent('conformance-wat'))],
    50_000,
    (i) => `reading-${i}`,
  );
  const thermostat = await compare('thermostat (5 JS operations), 5,000 msgs', join(repoRoot, 'examples', 'thermostat', 'graph.dataflow.yaml'), [], 5000, (i) =>
    JSON.stringify({ temperature: { value: 60 + (i % 30), unit: 'F' } }),
  );
  const instrumentation = [
    ...(await instrumentationCost('conformance-wat', 'WAT')),
    ...(await instrumentationCost('conformance-sdk-quickjs', 'QuickJS (SDK)')),
    ...(await instrumentationCost('conformance-sdk-spidermonkey', 'SpiderMonkey (SDK)')),
  ];
  return [...wat, ...thermostat, ...instrumentation];
}
