/**
 * Pipelines in aio.yaml: an environment binds what differs per stage (`variables:` for the manifest's `${VAR}`,
 * `nodes:` for endpoints, topics and configuration) and `aio emulate --env` runs the bound pipeline. What an
 * environment leaves unbound, or binds on a node the manifest lacks, is an error at aio.yaml's line:column.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { withTempDir } from '../helpers/temp-dir.js';

const manifest = `apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata: { name: line-pipeline }
spec:
  profileRef: default
  nodes:
    - nodeType: Source
      name: sensors
      sourceSettings: { endpointRef: plant-mqtt, dataSources: ["factory/+/telemetry"] }
    - nodeType: Graph
      name: convert
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-map:1.0.0
        configuration:
          - key: rules
            value: '{"map": [{"inputs": ["*"], "output": "*"}, {"inputs": ["$metadata.topic"], "output": "$metadata.topic", "expression": "\\"in/\\" + $1"}]}'
    - nodeType: Destination
      name: processed
      destinationSettings: { endpointRef: plant-mqtt, dataDestination: "processed/\${SITE}/\${outputTopic}" }
  nodeConnections:
    - { from: { name: sensors }, to: { name: convert } }
    - { from: { name: convert }, to: { name: processed } }
`;

const project = (local: string) => `pipelines:
  line:
    file: pipeline.yaml
environments:
${local}
  prod:
    target: kubernetes
    registry: { host: aioprod.azurecr.io }
    variables: { SITE: plant-7 }
`;

const goodLocal = `  local:
    target: emulator
    variables: { SITE: laptop }
    nodes:
      sensors: { endpoint: default, topics: ["sensors/#"] }
      processed: { endpoint: default }
      convert:
        configuration:
          rules: '{"map": [{"inputs": ["*"], "output": "*"}, {"inputs": ["temperature"], "output": "doubled", "expression": "$1 * 2"}, {"inputs": ["$metadata.topic"], "output": "$metadata.topic", "expression": "\\"bound/\\" + $1"}]}'`;

async function workspace(dir: string, local: string): Promise<void> {
  await writeFile(join(dir, 'pipeline.yaml'), manifest);
  await writeFile(join(dir, 'aio.yaml'), project(local));
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'data', 'message_1.json'), '{"temperature":21}');
}

describe('pipelines in aio.yaml', () => {
  it('aio emulate --env local runs the pipeline with the environment’s variables, endpoints, topics and configuration', async () => {
    await withTempDir(async (dir) => {
      await workspace(dir, goodLocal);
      const run = await runCli(['emulate', '--env', 'local', '--data', 'data', '--json'], { cwd: dir });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const output = join(dir, 'data', 'output');
      const file = (await readdir(output)).find((f) => f.endsWith('.txt'))!;
      const line = JSON.parse((await readFile(join(output, file), 'utf8')).trim()) as { topic: string; payload: unknown };
      assert.equal(line.topic, 'processed/laptop/bound/sensors', '${SITE} bound by variables:, the map rules by nodes.convert');
      assert.deepEqual(line.payload, { temperature: 21, doubled: 42 }, 'configuration bound by nodes.convert');
    });
  });

  it('an unbound ${VAR} and an endpoint the emulator lacks are errors at the environment in aio.yaml', async () => {
    await withTempDir(async (dir) => {
      await workspace(dir, `  local:\n    target: emulator\n    nodes:\n      sensors: { endpoint: default, topics: ["sensors/#"] }`);
      const run = await runCli(['emulate', '--env', 'local', '--data', 'data'], { cwd: dir, env: { SITE: undefined } });
      assert.equal(run.code, 3, run.stderr);
      assert.match(
        run.stderr,
        /aio\.yaml:6:5: error AIO_PIPELINE_BINDING_MISSING: environment local does not bind \$\{SITE\}, which pipeline line uses at pipeline\.yaml:\d+:\d+/,
      );
      assert.match(
        run.stderr,
        /aio\.yaml:8:7: error AIO_PIPELINE_BINDING_MISSING: environment local runs on the emulator, and node processed uses endpoint plant-mqtt/,
      );
      assert.match(run.stderr, /nodes: \{ processed: \{ endpoint: default \} \}/);
      assert.ok(!looksLikeStackTrace(run.stderr));
    });
  });

  it('a binding for a node the manifest lacks, or a field its type has not, is an error at its key in aio.yaml', async () => {
    await withTempDir(async (dir) => {
      await workspace(
        dir,
        `  local:\n    target: emulator\n    variables: { SITE: laptop }\n    nodes:\n      sensors: { endpoint: default, topic: "x" }\n      procesed: { endpoint: default }`,
      );
      const run = await runCli(['emulate', '--env', 'local', '--data', 'data'], { cwd: dir });
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /aio\.yaml:9:7: error AIO_PIPELINE_BINDING_KIND: environment local: node sensors is a Source node, which takes no topic/);
      assert.match(
        run.stderr,
        /aio\.yaml:10:7: error AIO_PIPELINE_BINDING_UNKNOWN_NODE: environment local binds node procesed, which pipeline\.yaml does not have/,
      );
      assert.match(run.stderr, /did you mean processed\?/);
    });
  });

  it('aio env show lists the pipeline binding', async () => {
    await withTempDir(async (dir) => {
      await workspace(dir, goodLocal);
      const shown = await runCli(['env', 'show', 'local', '--json'], { cwd: dir });
      assert.equal(shown.code, 0, shown.stderr);
      const view = JSON.parse(shown.stdout) as { pipeline: { variables: Record<string, string>; nodes: Array<{ node: string }> } };
      assert.deepEqual(view.pipeline.variables, { SITE: 'laptop' });
      assert.deepEqual(
        view.pipeline.nodes.map((n) => n.node),
        ['sensors', 'processed', 'convert'],
      );
    });
  });
});
