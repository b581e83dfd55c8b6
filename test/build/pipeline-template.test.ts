/**
 * `aio init --template pipeline`, through the real CLI: the workspace builds, its pipeline test passes, `aio emulate
 * --env local` runs the pipeline (built-in filter → the operator → built-in map → destination with a header), and
 * `aio render --env prod` writes its ARM deployment.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { withTempDir } from '../helpers/temp-dir.js';

describe('aio init --template pipeline', () => {
  it('builds, passes its test, emulates with --env local and renders --env prod', async () => {
    await withTempDir(async (parent) => {
      const init = await runCli(['init', 'line', '--template', 'pipeline', '--lang', 'js', '--operator', 'scale', '--type', 'map'], { cwd: parent });
      assert.equal(init.code, 0, init.stderr);
      assert.match(init.stdout, /aio emulate --env local/);
      const ws = join(parent, 'line');
      const build = await runCli(['build'], { cwd: ws });
      assert.equal(build.code, 0, build.stdout + build.stderr);

      const test = await runCli(['test', '--json'], { cwd: ws });
      assert.equal(test.code, 0, test.stdout + test.stderr);
      const cases = (JSON.parse(test.stdout) as { cases: Array<{ name: string; status: string }> }).cases;
      assert.deepEqual(
        cases.map((c) => c.status),
        ['passed', 'passed', 'passed'],
      );
      assert.ok(cases.some((c) => c.name === 'an implausible reading is dropped by the built-in filter'));

      const run = await runCli(['emulate', '--env', 'local', '--data', 'data', '--json'], { cwd: ws });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const summary = JSON.parse(run.stdout) as { operations: Array<{ operation: string; in: number }> };
      assert.deepEqual(
        summary.operations.map((o) => o.operation),
        ['sensors', 'plausible', 'scale/module-scale/map', 'route', 'processed'],
      );
      const output = join(ws, 'data', 'output');
      const file = (await readdir(output)).find((f) => f.endsWith('.txt'))!;
      const line = JSON.parse((await readFile(join(output, file), 'utf8')).trim()) as {
        topic: string;
        payload: unknown;
        properties: { 'user-properties': Record<string, string> };
      };
      assert.equal(line.topic, 'processed/sensors');
      assert.deepEqual(line.payload, { value: 84, unit: 'C', scaledBy: 2 });
      assert.equal(line.properties['user-properties']['pipeline'], 'line', 'the destination header');

      const render = await runCli(['render', '--env', 'prod', '--json'], { cwd: ws, env: { AZURE_SUBSCRIPTION_ID: undefined, AIO_REGISTRY: undefined } });
      assert.equal(render.code, 0, render.stderr);
      assert.ok(!looksLikeStackTrace(render.stderr));
      const rendered = JSON.parse(render.stdout) as {
        document: {
          resources: Array<{
            type: string;
            properties: { nodes?: Array<{ name: string; sourceSettings?: { dataSources: string[] }; graphSettings?: { registryEndpointRef: string } }> };
          }>;
        };
      };
      const graph = rendered.document.resources.at(-1)!;
      const nodes = new Map(graph.properties.nodes!.map((n) => [n.name, n]));
      assert.deepEqual(nodes.get('sensors')!.sourceSettings!.dataSources, ['factory/+/telemetry']);
      assert.equal(nodes.get('scale')!.graphSettings!.registryEndpointRef, 'aio-registry');
      assert.equal(nodes.get('plausible')!.graphSettings!.registryEndpointRef, 'default');
    });
  });
});
