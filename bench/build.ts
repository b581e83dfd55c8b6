/**
 * `aio build` and the JavaScript engines, all measured in this run:
 * - a no-op `aio build` of a 10-operator workspace, against `aio --version` (CLI start-up) in the same run: the
 *   figure is the time beyond start-up (goal < 300 ms);
 * - per engine (QuickJS, SpiderMonkey): the template map operator's cold build (the first build in this run), warm
 *   builds (median of three `--force` rebuilds), module size, and its per-call cost through aio's binding as a
 *   ratio to the hand-written WAT component's (jco's floor for a module call).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fixtureComponent } from '../test/helpers/components.js';
import { repoRoot } from '../test/helpers/paths.js';
import type { BenchRow } from './graph-validate.js';
import { perCallMs } from './js-per-call.js';

const CALLS = 20_000;
const OPERATORS = 10;

function aio(args: string[], cwd: string): number {
  const start = performance.now();
  execFileSync(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], { cwd, stdio: ['ignore', 'ignore', 'ignore'] });
  return performance.now() - start;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchBuild(): Promise<BenchRow[]> {
  const parent = mkdtempSync(join(tmpdir(), 'aio-bench-build-'));
  const cache = mkdtempSync(join(tmpdir(), 'aio-bench-cache-'));
  process.env['AIO_CACHE_DIR'] = cache;
  try {
    aio(['init', 'ws', '--lang', 'ts', '--operator', 'op0', '--type', 'map'], parent);
    const ws = join(parent, 'ws');
    for (let i = 1; i < OPERATORS; i++) aio(['operator', 'new', `op${i}`, '--type', i % 2 ? 'filter' : 'map'], ws);
    const rows: BenchRow[] = [];

    // Engines first, on op0 alone: its first build is the cold one.
    const engines: Array<{ engine: string; cold: number; warm: number; size: number; call: number }> = [];
    for (const engine of ['quickjs', 'spidermonkey']) {
      const cold = aio(['build', 'op0', '--force', '--js-engine', engine], ws);
      const warm = median([0, 1, 2].map(() => aio(['build', 'op0', '--force', '--js-engine', engine], ws)));
      const file = join(ws, 'operators', 'op0', 'bin', 'release', 'op0.wasm');
      engines.push({ engine, cold, warm, size: statSync(file).size, call: perCallMs(file, CALLS) });
    }
    const floor = perCallMs(fixtureComponent('conformance-wat'), CALLS);
    const quick = engines[0]!;
    for (const e of engines) {
      rows.push({ name: `${e.engine}: cold build, template map`, ms: e.cold, ratio: e.cold / quick.cold, note: 'ratio to QuickJS cold' });
      rows.push({ name: `${e.engine}: warm build (median of 3)`, ms: e.warm, ratio: e.warm / quick.warm, note: 'ratio to QuickJS warm' });
      rows.push({
        name: `${e.engine}: ${CALLS} map calls`,
        ms: e.call,
        ratio: e.call / floor,
        note: `${((e.call * 1000) / CALLS).toFixed(1)} µs per call, ratio to the WAT component; module ${(e.size / 1024 / 1024).toFixed(2)} MiB`,
      });
    }
    rows.push({ name: `WAT component: ${CALLS} map calls (baseline)`, ms: floor, ratio: 1, note: `${((floor * 1000) / CALLS).toFixed(1)} µs per call` });

    // The no-op build: every operator built once (QuickJS, the default), then nothing changed.
    aio(['build'], ws);
    const version = median([0, 1, 2, 3, 4].map(() => aio(['--version'], ws)));
    const noop = median([0, 1, 2, 3, 4].map(() => aio(['build'], ws)));
    rows.push({ name: 'aio --version (CLI start-up, baseline)', ms: version, ratio: 1, note: 'median of 5' });
    rows.push({
      name: `no-op aio build, ${OPERATORS} operators`,
      ms: noop,
      ratio: noop / version,
      note: `${(noop - version).toFixed(0)} ms beyond start-up; goal < 300 ms`,
    });
    return rows;
  } finally {
    rmSync(parent, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}
