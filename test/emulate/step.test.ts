/** `aio emulate --step`: stops before each item enters an operation, shows it, then what the operation made of it. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { useSharedCache } from '../helpers/components.js';
import { copyExample } from '../helpers/examples.js';
import { withTempDir } from '../helpers/temp-dir.js';

describe('aio emulate --step', () => {
  before(() => useSharedCache());

  it('shows each item before each operation and what it returned; c runs on to the end', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      // Four steps of the first file (map, filter, branch, delay), then "c".
      const result = await runCli(['emulate', join(ws, 'graph.dataflow.yaml'), '--data', join(ws, 'data'), '--step'], { input: '\n\n\n\nc\n' });
      assert.equal(result.code, 0, result.stderr);
      const steps = result.stderr.split('\nstep ▸ ').slice(1);
      assert.equal(steps.length, 5, result.stderr);
      assert.match(
        steps[0]!,
        /^module-thermostat\/map \(map\) ← source\n {2}topic sensors {3}__ts \S+\n {2}payload \{"temperature": \{"value": 68, "unit": "F"\}\}\n/,
      );
      assert.match(steps[0]!, /↳ module-thermostat\/map passed on:\n.*\n {6}payload \{"temperature":\{"value":20,"unit":"C"\}\}/);
      assert.match(steps[1]!, /^module-thermostat\/filter \(filter\) ← module-thermostat\/map\n[^]*↳ module-thermostat\/filter passed on:/);
      assert.match(steps[2]!, /↳ module-thermostat\/branch routed it to arm True:/);
      assert.match(steps[3]!, /↳ module-window\/delay delayed it to \S+:window/);
      assert.match(
        steps[4]!,
        /^module-window\/accumulate \(accumulate\) ← module-window\/delay\n[^]*continuing without stepping\n {2}↳ module-window\/accumulate folded it into the window at \S+/,
      );
      // After "c" the run goes on unstopped and ends as without --step.
      const plain = await runCli(['emulate', join(ws, 'graph.dataflow.yaml'), '--data', join(ws, 'data')]);
      assert.equal(/(\d+) input file\(s\) → (\d+) sink/.exec(result.stdout)?.[0], /(\d+) input file\(s\) → (\d+) sink/.exec(plain.stdout)?.[0]);
    });
  });
});
