import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const { prepareRun } = await import('../dist/src/emulate/prepare-run.js');
const { GraphEngine } = await import('../dist/src/engine/graph-engine.js');
const { createMessage } = await import('../dist/src/engine/message.js');
const dir = mkdtempSync(join(tmpdir(), 'p-'));
writeFileSync(join(dir, 'g.yaml'), `metadata: { $schema: "x", name: bench, version: "1.0.0" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: conformance/map, module: "conformance-wat:1.0.0" }
  - { operationType: filter, name: conformance/filter, module: "conformance-wat:1.0.0" }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: conformance/map } }
  - { from: { name: conformance/map }, to: { name: conformance/filter } }
  - { from: { name: conformance/filter }, to: { name: sink } }
`);
const prepared = await prepareRun({ graphFile: join(dir, 'g.yaml'), moduleDirs: ['test/fixtures/components/build'], params: [], log: { minLevel: 'warn', write() {} } });
let n = 0;
const engine = new GraphEngine({ graph: prepared.graph, operators: prepared.operators, log: prepared.services.log, sink: () => n++ });
const payload = '{"temperature": 71.5, "unit": "F"}';
const N = Number(process.argv[2] ?? 50000);
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  for (let i = 0; i < N; i++) engine.push(createMessage({ timestamp: { secs: 1763000000, nanos: i, counter: 0, nodeId: 'n' }, topic: 'factory/line1', payload, userProperties: [['k', 'v']] }));
  const ms = performance.now() - t;
  console.log(`round ${round}: ${(N / ms * 1000).toFixed(0)} msg/s, ${(ms * 1000 / N).toFixed(1)} µs/msg`);
}
// second engine after an extra instance
const { loadComponentFile } = await import('../dist/src/wasm/load-component.js');
const { wasiImports } = await import('../dist/src/wasm/wasi-sandbox.js');
const { processorImports } = await import('../dist/src/wasm/host/host-imports.js');
const { LentBuffers } = await import('../dist/src/wasm/host/buffer.js');
const c = await loadComponentFile('test/fixtures/components/build/conformance-wat.wasm');
c.instantiate({ ...wasiImports(() => {}), ...processorImports('bench', prepared.services, new LentBuffers()) });
for (let round = 0; round < 2; round++) {
  const t = performance.now();
  for (let i = 0; i < N; i++) engine.push(createMessage({ timestamp: { secs: 1763000000, nanos: i, counter: 0, nodeId: 'n' }, topic: 'factory/line1', payload, userProperties: [['k', 'v']] }));
  const ms = performance.now() - t;
  console.log(`after extra instance round ${round}: ${(N / ms * 1000).toFixed(0)} msg/s`);
}
