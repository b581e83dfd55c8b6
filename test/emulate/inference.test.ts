/**
 * wasi:nn on onnxruntime-node: a module importing wasi:nn (as the AIO samples' snapshot operator does) runs an
 * ONNX model the test writes, in `aio emulate --data`, with the call deadline on (its own thread) and off.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { sinkPayloads } from '../helpers/workspace-run.js';
import { useSharedCache } from '../helpers/components.js';
import { multiplyModel } from '../helpers/onnx-model.js';
import { repoRoot } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';

const MODULES = join(repoRoot, 'test', 'fixtures', 'components', 'build');

const GRAPH = `metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: inference, version: "1.0.0" }
moduleRequirements:
  apiVersion: "1.1.0"
  runtimeVersion: "1.1.0"
  features: [{ name: wasi-nn }]
moduleConfigurations:
  - name: infer/map
    parameters:
      model: { name: model, default: "triple" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: infer/map, module: "inference-js:1.0.0" }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: infer/map } }
  - { from: { name: infer/map }, to: { name: sink } }
`;

describe('wasi:nn inference on onnxruntime-node', () => {
  before(() => useSharedCache());

  for (const deadline of ['5s', '0']) {
    it(`runs a small ONNX model inside aio emulate (--call-deadline ${deadline}); a missing model fails only its item`, async () => {
      await withTempDir(async (dir) => {
        await writeFile(join(dir, 'graph.yaml'), GRAPH);
        await mkdir(join(dir, 'models'));
        await writeFile(join(dir, 'models', 'triple.onnx'), multiplyModel(3, 4));
        await mkdir(join(dir, 'data'));
        await writeFile(join(dir, 'data', 'a.json'), '[1, 2, 3, 4]');
        await writeFile(join(dir, 'data', 'b.json'), '[0.5, -1, 10, 0]');
        const data = join(dir, 'data');
        const result = await runCli(['emulate', join(dir, 'graph.yaml'), '--data', data, '--modules', MODULES, '--call-deadline', deadline, '--json'], {
          cwd: dir,
        });
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(await sinkPayloads(data), [
          [3, 6, 9, 12],
          [1.5, -3, 30, 0],
        ]);

        // The same graph asking for a model that is not there: each item fails with the WIT error's words, the run ends.
        await writeFile(join(dir, 'data', 'output', 'keep'), '');
        const missing = await runCli(
          [
            'emulate',
            join(dir, 'graph.yaml'),
            '--data',
            data,
            '--modules',
            MODULES,
            '--call-deadline',
            deadline,
            '--param',
            'infer/map.model=absent',
            '--json',
          ],
          { cwd: dir },
        );
        assert.equal(missing.code, 0, missing.stderr);
        const summary = JSON.parse(missing.stdout) as { operations: Array<{ operation: string; errors: number }> };
        assert.equal(summary.operations.find((o) => o.operation === 'infer/map')!.errors, 2);
        assert.match(missing.stderr, /inference failed: not-found: no model named "absent"/);
        assert.doesNotMatch(result.stderr, /does not list the wasi-nn feature/, 'the graph asks for the feature');

        // Without the feature the cluster would not give the module inference: the run says so.
        await writeFile(join(dir, 'graph.yaml'), GRAPH.replace('  features: [{ name: wasi-nn }]\n', ''));
        const featureless = await runCli(['emulate', join(dir, 'graph.yaml'), '--data', data, '--modules', MODULES, '--call-deadline', deadline], { cwd: dir });
        assert.equal(featureless.code, 0, featureless.stderr);
        assert.match(featureless.stderr, /imports wasi:nn, but the graph does not list the wasi-nn feature/);
      });
    });
  }
});
