/**
 * One per-call measurement in a process of its own (see perCall in wasm-host.ts): `node per-call.js <variant>
 * <map|filter> <calls>` prints `{"ms": …}` for that many calls after a warm-up.
 *   plain    the bare jco export with a prebuilt plain-bytes value (jco's floor)
 *   buffers  the bare jco export with the same value shapes built inline, payloads lent as buffers and freed
 *            after each call (baseline)
 *   aio      our binding: engine item → lent buffers → WIT → back, every handle freed
 *   pipeline what the engine's graph does per message, bare: map then filter on the map's result, plain values,
 *            one instance each (the iface argument is ignored)
 *   engine   whole messages through the engine: source → map → filter → sink (the iface argument is ignored)
 * A fifth argument `stock` loads jco's output as jco wrote it, without aio's patches (plain and pipeline only).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { transpileBytes } from '@bytecodealliance/jco-transpile';
import { createEngine } from '../src/run/instantiate-run.js';
import { prepareRun } from '../src/run/prepare-run.js';
import { DEFAULT_RUN_LIMITS } from '../src/run/run-limits.js';
import { MAP_FILTER_GRAPH } from './map-filter-graph.js';
import { createMessage } from '../src/engine/message.js';
import { LentBuffers } from '../src/wasm/host/buffer.js';
import { processorImports, type HostServices } from '../src/wasm/host/host-imports.js';
import { loadComponentFile, type ComponentExports, type LoadedComponent } from '../src/wasm/load-component.js';
import { OperatorModule } from '../src/wasm/operator-module.js';
import { TRANSPILE_OPTIONS } from '../src/wasm/transpile-cache.js';
import { wasiImports } from '../src/wasm/wasi-sandbox.js';
import { fixtureComponent, testServices } from '../test/helpers/components.js';

export type CallVariant = 'plain' | 'buffers' | 'aio' | 'pipeline' | 'engine';

const [variant, iface, count, output] = process.argv.slice(2) as [CallVariant, 'map' | 'filter', string, 'stock' | undefined];
const calls = Number(count);
const component =
  output === 'stock' ? await loadStockComponent(fixtureComponent('conformance-wat')) : await loadComponentFile(fixtureComponent('conformance-wat'));
/** Module log lines are formatted nowhere: the figures are about the host, not about log I/O. */
const services: HostServices = { ...testServices(), log: { minLevel: 'warn', write() {} } };
const encoder = new TextEncoder();
const payload = encoder.encode('{"temperature": 71.5, "unit": "F"}');
const topic = encoder.encode('factory/line1/temperature');
const timestamp = (nodeId: unknown) => ({ timestamp: { secs: 1_763_000_000n, nanos: 0 }, counter: 0n, nodeId });

async function call(): Promise<() => unknown> {
  if (variant === 'engine') {
    const dir = mkdtempSync(join(tmpdir(), 'aio-bench-engine-'));
    writeFileSync(join(dir, 'graph.yaml'), MAP_FILTER_GRAPH);
    const prepared = await prepareRun({
      graphFile: join(dir, 'graph.yaml'),
      moduleDirs: [dirname(fixtureComponent('conformance-wat'))],
      params: [],
      // The engine's own cost, calls on its thread: the deadline's cost is measured apart (deadline.ts).
      limits: { ...DEFAULT_RUN_LIMITS, callDeadlineMs: 0 },
      log: services.log,
    });
    const engine = createEngine(prepared, () => undefined);
    let i = 0;
    return () =>
      engine.push(createMessage({ timestamp: { secs: 1_763_000_000, nanos: i++, counter: 0, nodeId: 'n' }, topic, payload, userProperties: [['k', 'v']] }));
  }
  if (variant === 'aio') {
    const operator = OperatorModule.create({ component, operation: 'bench', interface: iface, configuration: { properties: [] }, services });
    const item = createMessage({
      timestamp: { secs: 1_763_000_000, nanos: 0, counter: 0, nodeId: 'n' },
      topic,
      payload,
      contentType: 'application/json',
      userProperties: [['k', 'v']],
    });
    return iface === 'map' ? () => operator.map(item) : () => operator.filter(item);
  }
  const lent = new LentBuffers();
  const exported = (name: 'map' | 'filter') => {
    const exports = component.instantiate({ ...wasiImports(() => {}), ...processorImports('bench', services, lent) });
    const api = exports[`wasm-graph:processor/${name}@1.1.0`]!;
    api['init']!({ properties: [], moduleSchemas: [] });
    return api['process']!;
  };
  const plain = {
    tag: 'message',
    val: {
      timestamp: timestamp({ tag: 'string', val: 'n' }),
      topic: { tag: 'bytes', val: topic },
      contentType: { tag: 'string', val: 'application/json' },
      payload: { tag: 'bytes', val: payload },
      properties: {
        userProperties: [
          [
            { tag: 'string', val: 'k' },
            { tag: 'string', val: 'v' },
          ],
        ],
      },
      schema: undefined,
    },
  };
  if (variant === 'pipeline') {
    const [map, filter] = [exported('map'), exported('filter')];
    return () => filter(map(plain));
  }
  const process = exported(iface);
  if (variant === 'plain') return () => process(plain);
  // The handles are freed after each call, as any host lending buffers must (leaked, jco's tables grow and every
  // call slows down); what is left between this and the aio binding is the item ↔ WIT conversion.
  const buf = (bytes: Uint8Array) => ({ tag: 'buffer', val: lent.lend(bytes) });
  return () => {
    try {
      return process({
        tag: 'message',
        val: {
          timestamp: timestamp(buf(encoder.encode('n'))),
          topic: buf(topic),
          contentType: buf(encoder.encode('application/json')),
          payload: buf(payload),
          properties: { userProperties: [[buf(encoder.encode('k')), buf(encoder.encode('v'))]] },
          schema: undefined,
        },
      });
    } finally {
      lent.release();
    }
  };
}

/** jco's output as jco wrote it: transpiled with aio's options into a temporary folder, none of aio's patches. */
async function loadStockComponent(path: string): Promise<LoadedComponent> {
  const loaded = await loadComponentFile(path);
  const dir = mkdtempSync(join(tmpdir(), 'aio-bench-stock-'));
  const { files } = await transpileBytes(readFileSync(path), TRANSPILE_OPTIONS);
  const modules = new Map<string, WebAssembly.Module>();
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), content);
    if (name.endsWith('.wasm')) modules.set(name, new WebAssembly.Module(content));
  }
  const entry = (await import(pathToFileURL(join(dir, 'component.js')).href)) as {
    instantiate: (core: (name: string) => WebAssembly.Module, imports: unknown) => ComponentExports;
  };
  return { ...loaded, instantiate: (imports) => entry.instantiate((name) => modules.get(name)!, imports) };
}

const run = await call();
for (let i = 0; i < 2_000; i++) run();
const started = performance.now();
for (let i = 0; i < calls; i++) run();
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started })}\n`);
