import { loadComponentFile } from '../dist/src/wasm/load-component.js';
import { OperatorModule } from '../dist/src/wasm/operator-module.js';
import { MemoryLog } from '../dist/src/wasm/host/run-log.js';
import { MetricsRegistry } from '../dist/src/wasm/host/metrics.js';
import { StateStore } from '../dist/src/wasm/host/state-store.js';
import { SchemaCatalog } from '../dist/src/wasm/host/schema-catalog.js';
import { createMessage } from '../dist/src/engine/message.js';
process.env.AIO_CACHE_DIR = '/tmp/w/cache';
let t0 = Date.now();
const c = await loadComponentFile(process.argv[2]);
console.log('load', Date.now() - t0, 'ms cacheHit', c.cacheHit, c.world.operators);
const services = { log: new MemoryLog(), metrics: new MetricsRegistry(), stateStore: new StateStore(), schemas: new SchemaCatalog() };
const m = OperatorModule.create({ component: c, operation: 'op/map', interface: 'map', configuration: { properties: [['a', '1']] }, services });
const ts = { secs: 1700000003, nanos: 5, counter: 2, nodeId: 'n1' };
const out = m.map(createMessage({ timestamp: ts, topic: 'a/b', payload: 'hello', contentType: 'text/plain', userProperties: [['k', 'v']] }));
console.log(out, Buffer.from(out.payload).toString(), m.outstandingHandles);
for (const p of ['error here', 'trap now', 'again']) {
  try { const o = m.map(createMessage({ timestamp: ts, payload: p })); console.log('ok', Buffer.from(o.payload).toString(), m.restarts); } catch (e) { console.log(e.kind, e.message); }
}
if (c.world.operators.includes('delay')) {
  const f = OperatorModule.create({ component: c, operation: 'op/filter', interface: 'filter', configuration: { properties: [] }, services });
  console.log(f.filter(createMessage({ timestamp: ts, payload: '#x' })), f.filter(createMessage({ timestamp: ts, payload: 'x' })));
  const d = OperatorModule.create({ component: c, operation: 'op/delay', interface: 'delay', configuration: { properties: [] }, services });
  console.log(d.delay(createMessage({ timestamp: ts, payload: 'x' })));
  const a = OperatorModule.create({ component: c, operation: 'op/acc', interface: 'accumulate', configuration: { properties: [] }, services });
  const r = a.accumulate(createMessage({ timestamp: ts, payload: '' }), [createMessage({ timestamp: ts, payload: 'a' }), createMessage({ timestamp: ts, payload: 'b' })]);
  console.log(Buffer.from(r.payload).toString());
  try { OperatorModule.create({ component: c, operation: 'op/rej', interface: 'map', configuration: { properties: [['reject','1']] }, services }); } catch (e) { console.log(e.code, e.message); }
}
console.log(services.log.entries.slice(0,3), services.metrics.all());
t0 = Date.now();
for (let i = 0; i < 20000; i++) m.map(createMessage({ timestamp: ts, payload: 'hello' }));
console.log('20k maps', Date.now() - t0, 'ms', m.outstandingHandles, process.memoryUsage().rss / 1e6);
