/**
 * Replacing modules in a prepared run, on every host (calls on the engine's thread bounded by the instrumented
 * module, the module thread, and the engine's thread with `--call-deadline 0`): new parameters take effect from the next item, the engine's windows
 * and state store stay, a module that refuses its configuration leaves the old one serving, and a swap from the
 * same file is recognised as no change.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { createMessage, type Item } from '../../src/engine/message.js';
import { MemoryLog } from '../../src/engine/run-log.js';
import { createEngine, type PreparedRun } from '../../src/run/instantiate-run.js';
import { reconfigure, swapModuleFile } from '../../src/run/module-swap.js';
import { prepareRun } from '../../src/run/prepare-run.js';
import { DEFAULT_RUN_LIMITS } from '../../src/run/run-limits.js';
import { useSharedCache } from '../helpers/components.js';
import { repoRoot } from '../helpers/paths.js';

const FILTER = 'module-thermostat/filter';
const graphFile = join(repoRoot, 'examples', 'thermostat', 'graph.dataflow.yaml');
let secs = 1_763_000_000;

function reading(celsius: number): Item {
  return createMessage({
    timestamp: { secs: secs++, nanos: 0, counter: 0, nodeId: 't' },
    topic: 'sensors/t',
    payload: JSON.stringify({ temperature: { value: celsius, unit: 'C' } }),
  });
}

const HOSTS = [
  { name: 'engine thread, bounded calls', limits: DEFAULT_RUN_LIMITS, placement: { kind: 'in-thread', bounded: true } },
  {
    name: 'module thread',
    limits: { ...DEFAULT_RUN_LIMITS, moduleThread: true },
    placement: { kind: 'module-thread', reason: 'a module thread was asked for' },
  },
  { name: 'engine thread, no deadline', limits: { ...DEFAULT_RUN_LIMITS, callDeadlineMs: 0 }, placement: { kind: 'in-thread', bounded: false } },
];

for (const host of HOSTS) {
  describe(`replacing modules in a running graph (${host.name})`, () => {
    before(() => useSharedCache());

    it('takes new parameters from the next item and keeps the old instance when the new one refuses its configuration', async () => {
      const prepared: PreparedRun = await prepareRun({
        graphFile,
        moduleDirs: [],
        params: [],
        log: new MemoryLog('error'),
        limits: host.limits,
      });
      try {
        assert.deepEqual(prepared.placement, host.placement);
        const engine = createEngine(prepared, () => undefined);
        const filter = () => prepared.operators.get(FILTER)!.filter(reading(60));
        engine.push(reading(20)); // the window opens; it must survive the swaps
        assert.equal(filter(), true, '60 °C is within the default bounds [-40, 150]');

        const upper = (value: string): Array<[string, string]> => [
          ['temperature_lower_bound', '-40'],
          ['temperature_upper_bound', value],
        ];
        assert.deepEqual(await reconfigure(prepared, [{ operation: FILTER, properties: upper('40') }]), [FILTER]);
        assert.equal(filter(), false, 'the new upper bound, 40 °C, applies');
        assert.deepEqual(prepared.hosted.get(FILTER)!.configuration.properties, upper('40'));

        // Bounds the operator's init refuses (lower above upper): the replacement fails, the running one stays.
        await assert.rejects(reconfigure(prepared, [{ operation: FILTER, properties: upper('-50') }]), /init|configuration|refused|rejected/i);
        assert.equal(filter(), false, 'still the 40 °C instance');
        assert.deepEqual(prepared.hosted.get(FILTER)!.configuration.properties, upper('40'));

        // The same file again is no change; the engine's open window is intact and closes with its reading.
        assert.equal(await swapModuleFile(prepared, prepared.hosted.get(FILTER)!.path), undefined);
        const stats = engine.stats.find((s) => s.operation === 'module-window/accumulate')!;
        engine.finish();
        assert.equal(stats.out, 1, 'the window opened before the swaps was emitted');
      } finally {
        await prepared.close();
      }
    });
  });
}
