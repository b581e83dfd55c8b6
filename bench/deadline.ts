/**
 * What the per-call deadline costs: messages through the engine with the module calls on the run's module
 * thread (the default, `--call-deadline 5s`) against the same run with every call on the engine's thread
 * (`--call-deadline 0`), in the same process. Two graphs: map → filter on the hand-made WAT component (a call
 * costs ~2 µs, so the hand-over dominates: the worst case) and the thermostat example (five JavaScript-built
 * operations, as a user's graph is).
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
import { fixtureComponent } from '../test/helpers/components.js';
import { repoRoot } from '../test/helpers/paths.js';
import type { BenchRow } from './graph-validate.js';
import { MAP_FILTER_GRAPH } from './map-filter-graph.js';

const encoder = new TextEncoder();

/** Messages per second through the graph, after a warm-up. */
async function throughput(graphFile: string, moduleDirs: string[], callDeadlineMs: number, messages: number, payload: (i: number) => string): Promise<number> {
  const prepared = await prepareRun({ graphFile, moduleDirs, params: [], limits: { ...DEFAULT_RUN_LIMITS, callDeadlineMs }, log: new MemoryLog('error') });
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

async function compare(name: string, graphFile: string, moduleDirs: string[], messages: number, payload: (i: number) => string): Promise<BenchRow[]> {
  // Alternated, best of three each: the two cores are shared with the rest of the machine.
  const off: number[] = [];
  const on: number[] = [];
  for (let round = 0; round < 3; round++) {
    off.push(await throughput(graphFile, moduleDirs, 0, messages, payload));
    on.push(await throughput(graphFile, moduleDirs, DEFAULT_RUN_LIMITS.callDeadlineMs, messages, payload));
  }
  const [bestOff, bestOn] = [Math.max(...off), Math.max(...on)];
  return [
    { name: `${name}, no deadline (baseline)`, ms: (messages / bestOff) * 1000, ratio: 1, note: `${Math.round(bestOff).toLocaleString('en')} msg/s` },
    {
      name: `${name}, 5 s deadline`,
      ms: (messages / bestOn) * 1000,
      ratio: bestOn / bestOff,
      note: `${Math.round(bestOn).toLocaleString('en')} msg/s; ratio = throughput / baseline (goal ≥ 0.9)`,
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
  return [...wat, ...thermostat];
}
