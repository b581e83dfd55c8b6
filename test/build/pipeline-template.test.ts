/**
 * `aio init --template pipeline`, through the real CLI: the workspace builds, its pipeline test passes, `aio emulate
 * --env local` runs the pipeline (built-in filter → the operator → built-in map → destination with a header), and
 * `aio render --env prod` writes its ARM deployment.
 */
import assert from 'node:assert/strict';
import { appendFile, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { withTempDir } from '../helpers/temp-dir.js';

interface SinkLine {
  topic: string;
  payload: unknown;
  properties: { 'user-properties': Record<string, string> };
}

/** What a stage publishes, less what depends on the wall clock (`tst`, the `__ts` of data-folder inputs). */
function withoutTs(line: SinkLine): SinkLine {
  const { __ts: _ts, ...props } = line.properties['user-properties'];
  return { topic: line.topic, payload: line.payload, properties: { ...line.properties, 'user-properties': props } };
}

async function sinkLines(output: string): Promise<SinkLine[]> {
  const file = (await readdir(output)).find((f) => f.endsWith('.txt'))!;
  return (await readFile(join(output, file), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => withoutTs(JSON.parse(l) as SinkLine));
}

describe('aio init --template pipeline', () => {
  it('builds, passes its test, emulates with --env local, runs the same when rendered, and renders --env prod', async () => {
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
      const [line] = (await sinkLines(output)) as [SinkLine];
      assert.equal(line.topic, 'processed/sensors');
      assert.deepEqual(line.payload, { value: 84, unit: 'C', scaledBy: 2 });
      assert.equal(line.properties['user-properties']['pipeline'], 'line', 'the destination header');

      // Round trip: the pipeline rendered for a stage that binds nothing different, run by aio emulate, gives what
      // aio emulate --env local gave (topics, payloads, user properties but the wall-clock __ts).
      await appendFile(
        join(ws, 'aio.yaml'),
        `\n  edge:\n    target: arm\n    pipeline: line\n    instance: { subscription: s, resourceGroup: rg, name: aio-edge, customLocation: cl }\n    registry: { host: edge.azurecr.io }\n`,
      );
      const renderedEdge = await runCli(['render', '--env', 'edge', '--output', 'rendered.arm.json'], { cwd: ws });
      assert.equal(renderedEdge.code, 0, renderedEdge.stderr);
      await rm(output, { recursive: true });
      const again = await runCli(['emulate', 'rendered.arm.json', '--data', 'data', '--json'], { cwd: ws });
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.deepEqual(await sinkLines(output), [withoutTs(line)]);

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
