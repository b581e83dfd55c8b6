/**
 * One per-call measurement in a process of its own (see perCall in wasm-host.ts): `node per-call.js <variant>
 * <map|filter> <calls>` prints `{"ms": …}` for that many calls after a warm-up.
 *   plain    the bare jco export with a prebuilt plain-bytes value (jco's floor)
 *   buffers  the bare jco export with the same value shapes built inline, payloads lent as buffers and freed
 *            after each call (baseline)
 *   aio      our binding: engine item → lent buffers → WIT → back, every handle freed
 *   engine   whole messages through the engine: source → map → filter → sink (the iface argument is ignored)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine, prepareRun } from '../src/emulate/prepare-run.js';
import { MAP_FILTER_GRAPH } from './map-filter-graph.js';
import { createMessage } from '../src/engine/message.js';
import { LentBuffers } from '../src/wasm/host/buffer.js';
import { processorImports, type HostServices } from '../src/wasm/host/host-imports.js';
import { loadComponentFile } from '../src/wasm/load-component.js';
import { OperatorModule } from '../src/wasm/operator-module.js';
import { wasiImports } from '../src/wasm/wasi-sandbox.js';
import { fixtureComponent, testServices } from '../test/helpers/components.js';

export type CallVariant = 'plain' | 'buffers' | 'aio' | 'engine';

const [variant, iface, count] = process.argv.slice(2) as [CallVariant, 'map' | 'filter', string];
const calls = Number(count);
const component = await loadComponentFile(fixtureComponent('conformance-wat'));
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
    const prepared = await prepareRun({ graphFile: join(dir, 'graph.yaml'), moduleDirs: [dirname(fixtureComponent('conformance-wat'))], params: [], log: services.log });
    const engine = createEngine(prepared, () => undefined);
    let i = 0;
    return () => engine.push(createMessage({ timestamp: { secs: 1_763_000_000, nanos: i++, counter: 0, nodeId: 'n' }, topic, payload, userProperties: [['k', 'v']] }));
  }
  if (variant === 'aio') {
    const operator = OperatorModule.create({ component, operation: 'bench', interface: iface, configuration: { properties: [] }, services });
    const item = createMessage({ timestamp: { secs: 1_763_000_000, nanos: 0, counter: 0, nodeId: 'n' }, topic, payload, contentType: 'application/json', userProperties: [['k', 'v']] });
    return iface === 'map' ? () => operator.map(item) : () => operator.filter(item);
  }
  const lent = new LentBuffers();
  const exports = component.instantiate({ ...wasiImports(() => {}), ...processorImports('bench', services, lent) });
  const api = exports[`wasm-graph:processor/${iface}@1.1.0`]!;
  api['init']!({ properties: [], moduleSchemas: [] });
  const process = api['process']!;
  if (variant === 'plain') {
    const plain = {
      tag: 'message',
      val: { timestamp: timestamp({ tag: 'string', val: 'n' }), topic: { tag: 'bytes', val: topic }, contentType: { tag: 'string', val: 'application/json' }, payload: { tag: 'bytes', val: payload }, properties: { userProperties: [[{ tag: 'string', val: 'k' }, { tag: 'string', val: 'v' }]] }, schema: undefined },
    };
    return () => process(plain);
  }
  // The handles are freed after each call, as any host lending buffers must (leaked, jco's tables grow and every
  // call slows down); what is left between this and the aio binding is the item ↔ WIT conversion.
  const buf = (bytes: Uint8Array) => ({ tag: 'buffer', val: lent.lend(bytes) });
  return () => {
    try {
      return process({
        tag: 'message',
        val: { timestamp: timestamp(buf(encoder.encode('n'))), topic: buf(topic), contentType: buf(encoder.encode('application/json')), payload: buf(payload), properties: { userProperties: [[buf(encoder.encode('k')), buf(encoder.encode('v'))]] }, schema: undefined },
      });
    } finally {
      lent.release();
    }
  };
}

const run = await call();
for (let i = 0; i < 2_000; i++) run();
const started = performance.now();
for (let i = 0; i < calls; i++) run();
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started })}\n`);
