/**
 * `aio test` on 100 `*.cases.yaml` cases with a warm module cache. Each case gets fresh module instances and a
 * fresh state store, so the baseline is the same input pushed through one prepared run with no isolation: the
 * ratio is what per-case isolation costs. Two graphs: the thermostat example (JavaScript-built components, five
 * module operations) and a map → filter graph on the hand-made WAT component.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { createEngine } from '../src/run/instantiate-run.js';
import { prepareRun } from '../src/run/prepare-run.js';
import { DEFAULT_RUN_LIMITS } from '../src/run/run-limits.js';
import { ModuleHostPool } from '../src/wasm/hosting/module-host-pool.js';
import { loadCaseFile } from '../src/testing/case-file.js';
import { runGraphCases } from '../src/testing/run-graph-cases.js';
import { MemoryLog } from '../src/engine/run-log.js';
import { repoRoot } from '../test/helpers/paths.js';
import type { BenchRow } from './graph-validate.js';
import { MAP_FILTER_GRAPH } from './map-filter-graph.js';

const CASES = 100;
const FIXTURES = join(repoRoot, 'test', 'fixtures', 'components', 'build');

function thermostatCases(): string {
  const cases = Array.from({ length: CASES }, (_, i) => {
    const f = [50 + (i % 40), 60 + (i % 30), 70 + (i % 20)];
    return `  - name: window ${i}\n    input:\n${f.map((v, j) => `      - { at: ${1000 * (j + 1)}, payload: { temperature: { value: ${v}, unit: F } } }\n`).join('')}    expect:\n      dropped: []\n`;
  });
  return `graph: ../graph.dataflow.yaml\ncases:\n${cases.join('')}`;
}

function watCases(): string {
  const cases = Array.from(
    { length: CASES },
    (_, i) =>
      `  - name: map ${i}\n    input: [{ payload: "reading-${i}" }, { payload: "reading-${i}b" }, { payload: "reading-${i}c" }]\n    expect: { sink: [{ payload: "READING-${i}" }, { payload: "READING-${i}B" }, { payload: "READING-${i}C" }] }\n`,
  );
  return `graph: graph.yaml\ncases:\n${cases.join('')}`;
}

async function measure(casesFile: string, moduleDirs: string[]): Promise<{ cases: number; isolated: number; shared: number }> {
  const caseFile = await loadCaseFile(casesFile);
  // As aio test runs them: the cases share module threads, each case with instances of its own.
  const hostPool = new ModuleHostPool();
  const options = { moduleDirs, update: false, limits: DEFAULT_RUN_LIMITS, hostPool };
  await runGraphCases(caseFile, options); // warm: transpile cache and compiled modules
  const started = performance.now();
  const results = await runGraphCases(caseFile, options);
  const isolated = performance.now() - started;
  await hostPool.close();
  const failed = results.filter((r) => r.status !== 'passed');
  if (failed.length > 0) throw new Error(`bench cases failed: ${failed[0]!.name}: ${failed[0]!.reason}`);
  const sharedStart = performance.now();
  const prepared = await prepareRun({ graphFile: caseFile.graph, moduleDirs, params: [], log: new MemoryLog('info') });
  const engine = createEngine(prepared, () => undefined);
  for (const graphCase of caseFile.cases) for (const message of graphCase.input) engine.push(message);
  engine.finish();
  await prepared.close();
  return { cases: results.length, isolated, shared: performance.now() - sharedStart };
}

export async function benchTestCases(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aio-bench-test-'));
  process.env['AIO_CACHE_DIR'] = join(dir, 'cache');
  try {
    const ws = join(dir, 'thermostat');
    cpSync(join(repoRoot, 'examples', 'thermostat'), ws, { recursive: true });
    const thermostatFile = join(ws, 'tests', 'bench.cases.yaml');
    writeFileSync(thermostatFile, thermostatCases());
    writeFileSync(join(dir, 'graph.yaml'), MAP_FILTER_GRAPH);
    const watFile = join(dir, 'bench.cases.yaml');
    writeFileSync(watFile, watCases());

    const rows: BenchRow[] = [];
    for (const [label, file, dirs] of [
      ['thermostat example (JS components, 5 module operations)', thermostatFile, []],
      ['map → filter (hand-made WAT component)', watFile, [FIXTURES]],
    ] as const) {
      process.stderr.write(`test-cases bench: ${label}\n`);
      const m = await measure(file, [...dirs]);
      rows.push({ name: `${label}: one run, all ${m.cases * 3} inputs`, ms: m.shared, ratio: 1, note: 'baseline: no per-case isolation' });
      rows.push({
        name: `${label}: ${m.cases} isolated cases`,
        ms: m.isolated,
        ratio: m.isolated / m.shared,
        note: `${(m.isolated / m.cases).toFixed(1)} ms per case, in process`,
      });
    }
    // The whole command as a user runs it: process start, discovery, report.
    const started = performance.now();
    execFileSync(join(repoRoot, 'bin', 'run.js'), ['test', thermostatFile], { env: process.env, stdio: 'ignore' });
    const cli = performance.now() - started;
    rows.push({
      name: `aio test on the ${CASES} thermostat cases (whole CLI)`,
      ms: cli,
      ratio: cli / rows[1]!.ms,
      note: 'against the in-process run of the same cases',
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
