/**
 * One module's per-call cost in a process of its own (V8 specialises jco's bindings on the shapes met first):
 * `node module-call.js <file.wasm> <calls>` prints `{"ms": …}` for that many map calls through aio's binding,
 * after a warm-up. The payload is a small JSON reading, as the templates expect.
 */
import { performance } from 'node:perf_hooks';
import { createMessage } from '../src/engine/message.js';
import { loadComponentFile } from '../src/wasm/load-component.js';
import { OperatorModule } from '../src/wasm/operator-module.js';
import { testServices } from '../test/helpers/components.js';

const [file, count] = process.argv.slice(2) as [string, string];
const calls = Number(count);
/**
 * Calls before the clock starts: enough for V8 to have optimised jco's glue (compiled on a background thread; on
 * a busy machine 2,000 calls were not always enough, and the WAT baseline, nearly all glue, came out twice as slow
 * in some runs).
 */
const WARM_UP = 10_000;
const component = await loadComponentFile(file);
const services = { ...testServices(), log: { minLevel: 'warn' as const, write() {} } };
const operator = OperatorModule.create({ component, operation: 'bench/map', interface: 'map', configuration: { properties: [] }, services });
const item = createMessage({
  timestamp: { secs: 1_763_000_000, nanos: 0, counter: 0, nodeId: 'n' },
  topic: 'sensors/a',
  payload: '{"value": 21, "unit": "C"}',
  contentType: 'application/json',
  userProperties: [['site', 'a']],
});
for (let i = 0; i < WARM_UP; i++) operator.map(item);
const start = performance.now();
for (let i = 0; i < calls; i++) operator.map(item);
console.log(JSON.stringify({ ms: performance.now() - start }));
