import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMessage } from '../src/engine/message.js';
import { loadComponentFile, type LoadedComponent } from '../src/wasm/load-component.js';
import { OperatorModule } from '../src/wasm/operator-module.js';
import { fixtureComponent, testServices } from '../test/helpers/components.js';
import type { HostServices } from '../src/wasm/host/host-imports.js';
import { repoRoot } from '../test/helpers/paths.js';
import type { BenchRow } from './graph-validate.js';
import type { CallVariant } from './per-call.js';

const CALLS = 50_000;
const MEMORY_CALLS = 1_000_000;

/**
 * The component host's cost, against jco itself measured in the same run:
 * - per call: our map/filter binding (engine item → lent buffers → WIT → back, handles freed) against the bare
 *   jco export called with the same WIT value shapes built inline (buffers, no conversion, nothing freed), and
 *   against the bare call with a prebuilt plain-bytes value (jco's floor);
 * - cold load (cache miss: inspect + transpile + compile) and warm load (cache hit, in a fresh process);
 * - resident memory across 1,000,000 calls.
 */
export async function benchWasmHost(): Promise<{ calls: BenchRow[]; loads: BenchRow[]; memory: string[] }> {
  const cache = mkdtempSync(join(tmpdir(), 'aio-bench-cache-'));
  process.env['AIO_CACHE_DIR'] = cache;
  try {
    const wat = await loadComponentFile(fixtureComponent('conformance-wat'));
    const calls = [...perCall('map'), ...perCall('filter')];
    const loads = await loadTimes(cache);
    const memory = memoryOverCalls(wat);
    return { calls, loads, memory };
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/** Module log lines are formatted nowhere: the figures are about the host, not about log I/O. */
function quietServices(): HostServices {
  return { ...testServices(), log: { minLevel: 'warn', write() {} } };
}

/**
 * Each variant runs in a process of its own: jco's generated bindings are shared by every instance and V8
 * specialises them on the value shapes they meet first, so in one process whichever loop runs later pays for the
 * earlier ones' shapes (the aio binding measured third looked 2.3x slower than measured alone).
 */
function perCall(iface: 'map' | 'filter'): BenchRow[] {
  const run = (variant: CallVariant): number =>
    (
      JSON.parse(
        execFileSync(process.execPath, [join(repoRoot, 'dist', 'bench', 'per-call.js'), variant, iface, String(CALLS)], { env: process.env }).toString(),
      ) as { ms: number }
    ).ms;
  const floor = run('plain');
  const bare = run('buffers');
  const host = run('aio');
  return [
    { name: `${iface}: bare jco call, plain bytes/strings (floor)`, ms: floor, ratio: floor / bare, note: `${us(floor)} per call` },
    { name: `${iface}: bare jco call, lent buffers freed (baseline)`, ms: bare, ratio: 1, note: `${us(bare)} per call` },
    { name: `${iface}: aio binding (engine item, handles freed)`, ms: host, ratio: host / bare, note: `${us(host)} per call; goal ≤ 1.30x` },
  ];
}

function us(ms: number): string {
  return `${((ms * 1000) / CALLS).toFixed(2)} µs`;
}

async function loadTimes(cache: string): Promise<BenchRow[]> {
  const fixture = fixtureComponent('conformance-js');
  const script = `
    const { loadComponentFile } = await import(${JSON.stringify(join(repoRoot, 'dist', 'src', 'wasm', 'load-component.js'))});
    const start = performance.now();
    const c = await loadComponentFile(${JSON.stringify(fixture)});
    console.log(JSON.stringify({ ms: performance.now() - start, hit: c.cacheHit }));`;
  const run = (): { ms: number; hit: boolean } =>
    JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, AIO_CACHE_DIR: cache } }).toString()) as {
      ms: number;
      hit: boolean;
    };
  rmSync(join(cache, 'components'), { recursive: true, force: true });
  const cold = run();
  const warm = run();
  if (cold.hit || !warm.hit) throw new Error('cache did not behave as expected');
  return [
    { name: 'cold load, 12 MB JS component (cache miss)', ms: cold.ms, ratio: 1, note: 'inspect + transpile + compile' },
    { name: 'warm load, same component (cache hit)', ms: warm.ms, ratio: warm.ms / cold.ms, note: 'fresh process, read + compile' },
  ];
}

function memoryOverCalls(component: LoadedComponent): string[] {
  const operator = OperatorModule.create({ component, operation: 'bench', interface: 'map', configuration: { properties: [] }, services: quietServices() });
  const item = createMessage({
    timestamp: { secs: 1_763_000_000, nanos: 0, counter: 0, nodeId: 'n' },
    topic: 'a/b',
    payload: 'x'.repeat(256),
    userProperties: [['k', 'v']],
  });
  const lines: string[] = [];
  const step = MEMORY_CALLS / 5;
  for (let i = 1; i <= MEMORY_CALLS; i++) {
    operator.map(item);
    if (i % step === 0) {
      globalThis.gc?.();
      lines.push(
        `after ${String(i).padStart(9)} calls: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB, handles held ${operator.outstandingHandles}`,
      );
    }
  }
  return lines;
}
