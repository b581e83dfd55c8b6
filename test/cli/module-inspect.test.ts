import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli, looksLikeStackTrace } from '../helpers/cli.js';
import { fixtureComponent } from '../helpers/components.js';

describe('aio module inspect', () => {
  for (const [fixture, operators] of [
    ['conformance-wat', ['map', 'filter', 'branch', 'accumulate', 'delay']],
    ['conformance-js', ['map', 'filter', 'branch', 'accumulate', 'delay']],
    ['filter-only', ['filter']],
    ['sandbox-probe', ['map']],
    ['stdio-js', ['map']],
  ] as const) {
    it(`lists the operators of ${fixture}`, async () => {
      const human = await runCli(['module', 'inspect', fixtureComponent(fixture)]);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, new RegExp(`operators  ${operators.join(', ')}\\n`));
      assert.match(human.stdout, /runnable {3}yes/);
      const json = await runCli(['module', 'inspect', fixtureComponent(fixture), '--json']);
      const parsed = JSON.parse(json.stdout) as { operators: string[]; runnable: boolean; sha256: string; size: number };
      assert.deepEqual(parsed.operators, operators);
      assert.equal(parsed.runnable, true);
      assert.match(parsed.sha256, /^[0-9a-f]{64}$/);
    });
  }

  it("states the module's own memory limits and the cap each instance gets when run here", async () => {
    const human = await runCli(['module', 'inspect', fixtureComponent('misbehaving')]);
    assert.match(human.stdout, /memory {5}0\.125 MiB initial, no maximum; capped at 256 MiB per instance when run here \(--memory-limit\)/);
    const json = await runCli(['module', 'inspect', fixtureComponent('misbehaving'), '--json']);
    const parsed = JSON.parse(json.stdout) as { memory: unknown };
    assert.deepEqual(parsed.memory, { declared: [{ initialMiB: 0.125, maximumMiB: null }], emulatorLimitMiB: 256 });
  });

  it('says why a module cannot run, and exits 3', async () => {
    const result = await runCli(['module', 'inspect', fixtureComponent('needs-keyvalue'), '--json']);
    assert.equal(result.code, 3);
    const parsed = JSON.parse(result.stdout) as { runnable: boolean; problems: string[] };
    assert.equal(parsed.runnable, false);
    assert.match(parsed.problems[0]!, /imports wasi:keyvalue\/store@0\.2\.0-draft, which this host does not provide/);
    const inference = await runCli(['module', 'inspect', fixtureComponent('needs-inference')]);
    assert.equal(inference.code, 0, 'a wasi:nn module runs here');
    assert.match(inference.stdout, /wasi:nn\/graph@0\.2\.0-rc-2024-10-28 {3}ONNX models on onnxruntime-node \(CPU\)/);
  });

  it('reports a file that is not a component without a stack trace', async () => {
    const result = await runCli(['module', 'inspect', 'package.json']);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /AIO_MODULE_NOT_WASM/);
    assert.ok(!looksLikeStackTrace(result.stderr));
  });
});
