import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMessage } from '../src/engine/message.js';
import { HostBuffer, LentBuffers } from '../src/wasm/host/buffer.js';
import { processorImports } from '../src/wasm/host/host-imports.js';
import { loadComponentFile, type LoadedComponent } from '../src/wasm/load-component.js';
import { OperatorModule } from '../src/wasm/operator-module.js';
import { wasiImports } from '../src/wasm/wasi-sandbox.js';
import { fixtureComponent, testServices } from '../test/helpers/components.js';
import type { HostServices } from '../src/wasm/host/host-imports.js';
import { repoRoot } from '../test/helpers/paths.js';
import type { BenchRow } from './graph-validate.js';

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
    const calls = [...perCall(wat, 'map'), ...perCall(wat, 'filter')];
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

function perCall(component: LoadedComponent, iface: 'map' | 'filter'): BenchRow[] {
  const services = quietServices();
  const lent = new LentBuffers();
  const exports = component.instantiate({ ...wasiImports(() => {}), ...processorImports('bench', services, lent) });
  const api = exports[`wasm-graph:processor/${iface}@1.1.0`]!;
  api['init']!({ properties: [], moduleSchemas: [] });
  const process = api['process']!;
  const payload = new TextEncoder().encode('{"temperature": 71.5, "unit": "F"}');
  const topic = new TextEncoder().encode('factory/line1/temperature');
  const timestamp = (nodeId: unknown) => ({ timestamp: { secs: 1_763_000_000n, nanos: 0 }, counter: 0n, nodeId });
  const plain = {
    tag: 'message',
    val: { timestamp: timestamp({ tag: 'string', val: 'n' }), topic: { tag: 'bytes', val: topic }, contentType: { tag: 'string', val: 'application/json' }, payload: { tag: 'bytes', val: payload }, properties: { userProperties: [[{ tag: 'string', val: 'k' }, { tag: 'string', val: 'v' }]] }, schema: undefined },
  };
  const buf = (bytes: Uint8Array) => ({ tag: 'buffer', val: new HostBuffer(bytes) });
  const enc = new TextEncoder();
  const withBuffers = () => ({
    tag: 'message',
    val: { timestamp: timestamp(buf(enc.encode('n'))), topic: buf(topic), contentType: buf(enc.encode('application/json')), payload: buf(payload), properties: { userProperties: [[buf(enc.encode('k')), buf(enc.encode('v'))]] }, schema: undefined },
  });
  const operator = OperatorModule.create({ component, operation: 'bench', interface: iface, configuration: { properties: [] }, services });
  const item = createMessage({ timestamp: { secs: 1_763_000_000, nanos: 0, counter: 0, nodeId: 'n' }, topic, payload, contentType: 'application/json', userProperties: [['k', 'v']] });
  const ours = iface === 'map' ? () => operator.map(item) : () => operator.filter(item);

  const floor = time(() => process(plain));
  // Bare jco with buffers leaks the handles it lends (nobody frees them): run it on a fresh instance, same count.
  const bare = time(() => process(withBuffers()));
  const host = time(ours);
  return [
    { name: `${iface}: bare jco call, plain bytes/strings (floor)`, ms: floor, ratio: floor / bare, note: `${us(floor)} per call` },
    { name: `${iface}: bare jco call, lent buffers (baseline)`, ms: bare, ratio: 1, note: `${us(bare)} per call` },
    { name: `${iface}: aio binding (engine item, handles freed)`, ms: host, ratio: host / bare, note: `${us(host)} per call; goal ≤ 1.30x` },
  ];
}

function time(call: () => unknown): number {
  for (let i = 0; i < 2_000; i++) call();
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) call();
  return performance.now() - start;
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
    JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, AIO_CACHE_DIR: cache } }).toString()) as { ms: number; hit: boolean };
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
  const item = createMessage({ timestamp: { secs: 1_763_000_000, nanos: 0, counter: 0, nodeId: 'n' }, topic: 'a/b', payload: 'x'.repeat(256), userProperties: [['k', 'v']] });
  const lines: string[] = [];
  const step = MEMORY_CALLS / 5;
  for (let i = 1; i <= MEMORY_CALLS; i++) {
    operator.map(item);
    if (i % step === 0) {
      globalThis.gc?.();
      lines.push(`after ${String(i).padStart(9)} calls: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB, handles held ${operator.outstandingHandles}`);
    }
  }
  return lines;
}
