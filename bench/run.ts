import { benchGraphValidate, type BenchRow } from './graph-validate.js';
import { benchWasmHost } from './wasm-host.js';
import { benchEmulate } from './emulate.js';
import { benchRegistry } from './registry.js';
import { benchTestCases } from './test-cases.js';
import { benchBuild } from './build.js';
import { benchDeadline } from './deadline.js';
import { benchTrace } from './trace.js';
import { benchUi } from './ui.js';
import { benchWatch } from './watch.js';
import { benchBuiltins } from './builtins.js';
import { benchJsPerCall } from './js-per-call.js';

/**
 * `npm run bench`: performance figures, each a ratio against a baseline measured in the same run on the same
 * machine, so numbers from different machines can be compared. Not a test: nothing here passes or fails.
 */
function print(title: string, rows: BenchRow[]): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    console.log(`  ${r.name.padEnd(width)}  ${r.ms.toFixed(1).padStart(9)} ms  ${r.ratio.toFixed(2).padStart(6)}x  ${r.note}`);
  }
}

const only = process.argv.slice(2);
const wanted = (name: string): boolean => only.length === 0 || only.includes(name);

if (wanted('graph')) print('Graph validation (ratio = time / baseline)', await benchGraphValidate());
if (wanted('wasm')) {
  const wasm = await benchWasmHost();
  print('Component host, 50,000 calls each (ratio = time / bare jco call with lent buffers)', wasm.calls);
  print('Component loading (ratio = time / cold load)', wasm.loads);
  console.log('\nResident memory, map through the aio binding, 1,000,000 calls');
  for (const line of wasm.memory) console.log(`  ${line}`);
}
if (wanted('emulate')) {
  const emulate = await benchEmulate();
  print('aio emulate (ratios as noted per row)', emulate.rows);
  console.log('\nResident memory, source → map → filter → sink in the engine, 1,000,000 messages');
  for (const line of emulate.memory) console.log(`  ${line}`);
}
if (wanted('registry')) print('aio registry against the local docker-registry (ratios as noted per row)', await benchRegistry());
if (wanted('deadline')) print('Per-call deadline: what bounding module calls costs (ratios as noted per row)', await benchDeadline());
if (wanted('trace')) print('aio emulate --trace (ratios as noted per row)', await benchTrace());
if (wanted('ui')) print('aio emulate --ui, 20,000 messages over the embedded broker (ratios as noted per row)', await benchUi());
if (wanted('watch')) print('aio emulate --watch, messages flowing every 10 ms (ratios as noted per row)', await benchWatch());
if (wanted('build')) print('aio build and the JavaScript engines (ratios as noted per row)', await benchBuild());
if (wanted('per-call')) print('JavaScript operators per call, best of 7 runs (ratio = time / WAT component)', await benchJsPerCall());
if (wanted('builtins')) print('Built-in transforms in the engine, 100,000 messages (ratios as noted per row)', await benchBuiltins());
if (wanted('test')) print(`aio test, 100 *.cases.yaml cases, warm module cache (ratios as noted per row)`, await benchTestCases());
