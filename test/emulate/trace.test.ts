/** `aio emulate --trace` and `aio trace`: every input's journey through a graph with a filter, a branch, an error and a window. */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Journey } from '../../src/emulator/tracer.js';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { useSharedCache } from '../helpers/components.js';
import { repoRoot } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { copyExample } from '../helpers/examples.js';

const MODULES = join(repoRoot, 'test', 'fixtures', 'components', 'build');

/**
 * The thermostat example (filter, branch on message type, 10 s window) behind a guard operation that traps on a
 * payload of "trap" (the hand-made misbehaving module), so one input ends in an error.
 */
async function tracedWorkspace(dir: string): Promise<string> {
  const ws = await copyExample('thermostat', dir);
  const graphFile = join(ws, 'graph.dataflow.yaml');
  const graph = (await readFile(graphFile, 'utf8'))
    .replace(
      '  - operationType: map\n    name: module-thermostat/map',
      '  - operationType: map\n    name: guard\n    module: "misbehaving:1.0.0"\n  - operationType: map\n    name: module-thermostat/map',
    )
    .replace(
      '  - from: { name: source }\n    to: { name: module-thermostat/map }',
      '  - from: { name: source }\n    to: { name: guard }\n  - from: { name: guard }\n    to: { name: module-thermostat/map }',
    );
  assert.match(graph, /name: guard/);
  await writeFile(graphFile, graph);
  await writeFile(join(ws, 'data', 'message_6.json'), 'trap');
  return ws;
}

describe('aio emulate --trace', () => {
  before(() => useSharedCache());

  it('writes one journey per input file, each ending where it should with the reason; aio trace reads them back', async () => {
    await withTempDir(async (dir) => {
      const ws = await tracedWorkspace(dir);
      const result = await runCli(['emulate', 'graph.dataflow.yaml', '--data', 'data', '--modules', MODULES, '--trace'], { cwd: ws });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /trace: data\/output\/trace\.jsonl/);

      const file = join(ws, 'data', 'output', 'trace.jsonl');
      const journeys = (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Journey);
      const inputs = journeys.map((j) => j.input);
      const files = ['message_1.json', 'message_2.json', 'message_3.json', 'message_4.json', 'message_5.json', 'message_6.json'];
      assert.deepEqual(inputs, [...files, '(windows closed)'], 'one journey per input file, then the last window');
      const ends = Object.fromEntries(journeys.map((j) => [j.input, j.ends.map((e) => [e.operation, e.outcome, e.reason ?? e.at ?? ''])]));
      const window = journeys[0]!.ends[0]!.at!;
      assert.match(window, /^\d{11}0000:00000:window$/, 'a 10 s window');
      for (const folded of ['message_1.json', 'message_2.json', 'message_5.json'])
        assert.deepEqual(ends[folded], [['module-window/accumulate', 'folded', window]]);
      assert.deepEqual(ends['message_3.json'], [['sink', 'sink', '']], 'not a temperature: the branch sends it straight on');
      assert.deepEqual(ends['message_4.json'], [['module-thermostat/filter', 'filtered', 'filtered out']], '1209 °F is out of bounds');
      assert.equal(ends['message_6.json']!.length, 1);
      assert.deepEqual(ends['message_6.json']![0]!.slice(0, 2), ['guard', 'error']);
      assert.match(String(ends['message_6.json']![0]![2]), /guard: module trapped at item \S+: .*unreachable/);
      assert.deepEqual(ends['(windows closed)'], [['sink', 'sink', '']]);
      // The steps on the way: the branch's arm, the delay's new timestamp, the module's time.
      const message3 = journeys[2]!.steps.map((s) => [s.operation, s.outcome, s.arm ?? '']);
      assert.deepEqual(message3, [
        ['source', 'passed', ''],
        ['guard', 'passed', ''],
        ['module-thermostat/map', 'passed', ''],
        ['module-thermostat/filter', 'passed', ''],
        ['module-thermostat/branch', 'routed', 'False'],
        ['merge', 'passed', ''],
        ['sink', 'sink', ''],
      ]);
      assert.ok(journeys[2]!.steps[2]!.micros! > 0, 'module time recorded');
      assert.deepEqual(journeys[0]!.steps[5], { operation: 'module-window/delay', outcome: 'delayed', at: window, micros: journeys[0]!.steps[5]!.micros });
      assert.deepEqual(journeys[6]!.steps[0], { operation: 'module-window/accumulate', outcome: 'emitted', at: window });

      const errors = await runCli(['trace', file, '--errors', '--json']);
      assert.equal(errors.code, 0, errors.stderr);
      assert.deepEqual(
        (JSON.parse(errors.stdout) as { journeys: Journey[] }).journeys.map((j) => j.input),
        ['message_6.json'],
      );
      const one = await runCli(['trace', file, '--input', 'message_3.json']);
      assert.match(one.stdout, /module-thermostat\/branch +routed to arm False/);
      const dropped = await runCli(['trace', file, '--dropped']);
      assert.match(dropped.stdout, /^message_4\.json/m);
      assert.doesNotMatch(dropped.stdout, /message_1\.json/);
      const summary = await runCli(['trace', file]);
      assert.match(summary.stdout, /^message_1\.json {2}→ {2}folded into window \S+ at module-window\/accumulate$/m);
      const none = await runCli(['trace', file, '--at', 'nowhere']);
      assert.equal(none.code, 3);
    });
  });

  it('names the line of a file that is not a trace', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'bad.jsonl'), '{"input":"a","ts":null,"steps":[],"ends":[]}\nnot json\n');
      const result = await runCli(['trace', join(dir, 'bad.jsonl')]);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /bad\.jsonl:2:1.*AIO_TRACE_INVALID|AIO_TRACE_INVALID[\s\S]*bad\.jsonl:2/);
      assert.ok(!looksLikeStackTrace(result.stderr), result.stderr);
    });
  });
});
