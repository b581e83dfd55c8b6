/**
 * What `aio emulate --trace` costs: the thermostat example's messages through the engine with a Tracer writing
 * each journey as a JSON line, against the same run without one, in the same process (goal: ≥ 0.8).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMessage } from '../src/engine/message.js';
import { MemoryLog } from '../src/engine/run-log.js';
import { RunObservation, feed } from '../src/emulator/inspection/run-observation.js';
import { createEngine } from '../src/run/instantiate-run.js';
import { prepareRun } from '../src/run/prepare-run.js';
import { repoRoot } from '../test/helpers/paths.js';
import type { BenchRow } from './graph-validate.js';

const MESSAGES = 5000;
const encoder = new TextEncoder();

async function throughput(traced: boolean, dir: string): Promise<number> {
  const graphFile = join(repoRoot, 'examples', 'thermostat', 'graph.dataflow.yaml');
  const prepared = await prepareRun({ graphFile, moduleDirs: [], params: [], log: new MemoryLog('error') });
  const observation = traced
    ? RunObservation.create(prepared.graph, { traceFile: { path: join(dir, `trace-${Date.now()}.jsonl`), append: false } })
    : undefined;
  try {
    const engine = createEngine(prepared, () => undefined, observation?.observer);
    let i = 0;
    const push = (): void => {
      const item = createMessage({
        timestamp: { secs: 1_763_000_000 + Math.floor(i / 100), nanos: (i % 100) * 1_000_000, counter: 0, nodeId: 'n' },
        topic: 'sensors/t',
        payload: encoder.encode(JSON.stringify({ temperature: { value: 40 + (i % 100), unit: 'F' } })),
      });
      feed(engine, observation, `message_${i++}.json`, item);
    };
    for (let w = 0; w < 1000; w++) push();
    const started = performance.now();
    for (let n = 0; n < MESSAGES; n++) push();
    engine.finish();
    await observation?.close();
    return MESSAGES / ((performance.now() - started) / 1000);
  } finally {
    await prepared.close();
  }
}

export async function benchTrace(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aio-bench-trace-'));
  const off: number[] = [];
  const on: number[] = [];
  for (let round = 0; round < 3; round++) {
    off.push(await throughput(false, dir));
    on.push(await throughput(true, dir));
  }
  const [bestOff, bestOn] = [Math.max(...off), Math.max(...on)];
  return [
    {
      name: `thermostat, ${MESSAGES.toLocaleString('en')} msgs, no trace (baseline)`,
      ms: (MESSAGES / bestOff) * 1000,
      ratio: 1,
      note: `${Math.round(bestOff)} msg/s`,
    },
    {
      name: `thermostat, ${MESSAGES.toLocaleString('en')} msgs, --trace`,
      ms: (MESSAGES / bestOn) * 1000,
      ratio: bestOn / bestOff,
      note: `${Math.round(bestOn)} msg/s; ratio = throughput / baseline (goal ≥ 0.8)`,
    },
  ];
}
