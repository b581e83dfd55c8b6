import { loadComponentFile } from '../dist/src/wasm/load-component.js';
import { OperatorModule } from '../dist/src/wasm/operator-module.js';
import { createMessage } from '../dist/src/engine/message.js';
import { testServices } from '../dist/test/helpers/components.js';
process.env.AIO_CACHE_DIR = '/tmp/w/cache2';
const c = await loadComponentFile('test/fixtures/components/build/conformance-wat.wasm');
const op = OperatorModule.create({ component: c, operation: 'b', interface: process.argv[2] ?? 'map', configuration: { properties: [] }, services: { ...testServices(), log: { minLevel: 'warn', write() {} } } });
const item = createMessage({ timestamp: { secs: 1, nanos: 0, counter: 0, nodeId: 'n' }, topic: 'a/b', payload: 'x'.repeat(256), userProperties: [['k', 'v']] });
const t = op.lent.tables[0];
for (let r = 0; r < 4; r++) {
  for (let i = 0; i < 50000; i++) op[process.argv[2] ?? 'map'](item);
  globalThis.gc();
  console.log(process.memoryUsage().heapUsed >> 20, 'MiB', t.handles.length, t.captured.size, t.handles._createdReps.size);
}
