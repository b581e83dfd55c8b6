import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ArmServer } from '../helpers/arm-server.js';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import type { KubeServer } from '../helpers/kube-server.js';
import { startTargets, type Targets } from '../helpers/stages.js';

const ARM_TOKEN = 'arm-token-pipeline';
const NODES = ['sensors', 'normalize', 'thermostat', 'summary', 'factory'];

interface NodeChange {
  node: string;
  change: string;
}
interface DeployJson {
  pipeline?: string;
  graph: string;
  state: string;
  nodes: NodeChange[];
  changes?: Array<{ resourceId: string; changeType: string }>;
  objects?: Array<{ kind: string; name: string; changed: boolean }>;
  error?: { code: string; message: string };
}

const changesOf = (body: DeployJson) => Object.fromEntries(body.nodes.map((n) => [n.node, n.change]));
const all = (change: string) => Object.fromEntries(NODES.map((n) => [n, change]));

/**
 * The example's thermostat pipeline (built-in map and window around the workspace's WASM graph) deployed to
 * pipeline-prod (ARM) and pipeline-staging (Kubernetes): what is applied is what `aio render` writes, and the
 * what-if names each node of the DataflowGraph.
 */
describe('aio deploy graph of a pipeline environment, against local ARM and Kubernetes servers', () => {
  let ws: string;
  let arm: ArmServer;
  let kube: KubeServer;
  let env: NodeJS.ProcessEnv;

  let targets: Targets;
  before(async () => {
    targets = await startTargets(ARM_TOKEN);
    ({ ws, arm, kube, env } = targets);
  });
  after(() => targets.stop());

  const aio = (args: string[]) => runCli([...args, '--json'], { cwd: ws, env });
  const deploy = async (args: string[]): Promise<DeployJson> => {
    const r = await aio(['deploy', 'graph', ...args]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(!(r.stdout + r.stderr).includes(ARM_TOKEN), 'the token is never printed');
    return JSON.parse(r.stdout) as DeployJson;
  };
  /** Edits one binding in aio.yaml; returns how to undo it. */
  const setBound = async (from: string, to: string): Promise<() => Promise<void>> => {
    const file = join(ws, 'aio.yaml');
    const original = await readFile(file, 'utf8');
    const edited = original.replace(from, to);
    assert.notEqual(edited, original, `aio.yaml has ${from}`);
    await writeFile(file, edited);
    return () => writeFile(file, original);
  };

  it('ARM: the what-if lists every node as added, the deploy applies exactly the rendered template, a second deploy changes nothing', async () => {
    const preview = await deploy(['--env', 'pipeline-prod', '--what-if']);
    assert.equal(preview.pipeline, 'thermostat-pipeline');
    assert.deepEqual(changesOf(preview), all('added'));
    assert.deepEqual(
      preview.nodes.map((n) => n.node),
      NODES,
      'in the manifest’s order',
    );
    assert.equal(arm.resources.size, 0, 'what-if changed nothing');

    const first = await deploy(['--env', 'pipeline-prod']);
    assert.equal(first.state, 'Succeeded');
    assert.deepEqual(
      first.changes!.map((c) => [c.resourceId.split('/').at(-1), c.changeType]),
      [
        ['acr-prod', 'created'],
        ['thermostat-pipeline', 'created'],
      ],
    );
    assert.deepEqual(changesOf(first), all('added'));
    const rendered = await aio(['render', '--env', 'pipeline-prod']);
    assert.equal(rendered.code, 0, rendered.stderr);
    const template = JSON.parse(rendered.stdout) as { document?: unknown } & Record<string, unknown>;
    const document = (template.document ?? template) as { resources: Array<{ type: string; properties: unknown }> };
    const graphId =
      '/subscriptions/sub-1234/resourcegroups/rg-edge-prod/providers/microsoft.iotoperations/instances/aio-prod/dataflowprofiles/default/dataflowgraphs/thermostat-pipeline';
    const stored = arm.resources.get(graphId);
    assert.ok(stored, `resources: ${[...arm.resources.keys()].join(', ')}`);
    assert.deepEqual(stored.properties, document.resources.at(-1)!.properties, 'the deployed DataflowGraph is the rendered one');
    const thermostat = (stored.properties['nodes'] as Array<Record<string, any>>).find((n) => n['name'] === 'thermostat')!;
    assert.deepEqual(thermostat['graphSettings'], {
      registryEndpointRef: 'acr-prod',
      artifact: 'thermostat-graph:1.0.0',
      configuration: [{ key: 'temperature_upper_bound', value: '100' }],
    });
    const normalize = (stored.properties['nodes'] as Array<Record<string, any>>).find((n) => n['name'] === 'normalize')!;
    assert.equal(normalize['graphSettings'].registryEndpointRef, 'default', 'a built-in keeps the default endpoint');

    const etags = [...arm.resources.values()].map((r) => r.etag);
    const second = await deploy(['--env', 'pipeline-prod']);
    assert.deepEqual(
      second.changes!.map((c) => c.changeType),
      ['unchanged', 'unchanged'],
    );
    assert.deepEqual(changesOf(second), all('unchanged'));
    assert.deepEqual(
      [...arm.resources.values()].map((r) => r.etag),
      etags,
    );
  });

  it('ARM: a changed node configuration shows as that node changed, in the what-if and in the deploy', async () => {
    const undo = await setBound('configuration: { temperature_upper_bound: "100" }', 'configuration: { temperature_upper_bound: "90" }');
    try {
      const preview = await deploy(['--env', 'pipeline-prod', '--what-if']);
      assert.deepEqual(changesOf(preview), { ...all('unchanged'), thermostat: 'changed' });
      assert.deepEqual(
        preview.changes!.map((c) => c.changeType),
        ['NoChange', 'Modify'],
      );
      const r = await aio(['deploy', 'graph', '--env', 'pipeline-prod']);
      assert.equal(r.code, 0, r.stderr);
      const deployed = JSON.parse(r.stdout) as DeployJson;
      assert.deepEqual(changesOf(deployed), { ...all('unchanged'), thermostat: 'changed' });
      assert.match(r.stderr, /nodes of thermostat-pipeline:\n(.*\n)*\s+changed\s+thermostat\n/);
    } finally {
      await undo();
    }
  });

  it('Kubernetes: dry run stores nothing; apply creates the endpoint and the graph; a second apply changes nothing; a changed node shows as changed', async () => {
    const dry = await deploy(['--env', 'pipeline-staging', '--dry-run']);
    assert.deepEqual(changesOf(dry), all('added'));
    assert.equal(kube.objects.size, 0);

    const first = await deploy(['--env', 'pipeline-staging']);
    assert.equal(first.state, 'Succeeded');
    assert.deepEqual(
      first.objects!.map((o) => [o.kind, o.name, o.changed]),
      [
        ['RegistryEndpoint', 'acr-staging', true],
        ['DataflowGraph', 'thermostat-pipeline', true],
      ],
    );
    assert.deepEqual(changesOf(first), all('added'));
    const stored = kube.objects.get('dataflowgraphs/azure-iot-operations/thermostat-pipeline')!;
    const rendered = await aio(['render', '--env', 'pipeline-staging', '--format', 'k8s']);
    assert.equal(rendered.code, 0, rendered.stderr);
    const factory = (stored['spec'].nodes as Array<Record<string, any>>).find((n) => n['name'] === 'factory')!;
    assert.match(factory['destinationSettings'].dataDestination, /^staging\//, 'the environment’s topic binding');
    assert.ok(rendered.stdout.includes(`dataDestination: ${factory['destinationSettings'].dataDestination}`), 'applied as rendered');

    const second = await deploy(['--env', 'pipeline-staging']);
    assert.deepEqual(
      second.objects!.map((o) => o.changed),
      [false, false],
    );
    assert.deepEqual(changesOf(second), all('unchanged'));

    const undo = await setBound('factory: { topic: "staging/${outputTopic}" }', 'factory: { topic: "staging2/${outputTopic}" }');
    try {
      const changed = await deploy(['--env', 'pipeline-staging']);
      assert.deepEqual(changesOf(changed), { ...all('unchanged'), factory: 'changed' });
      assert.deepEqual(
        changed.objects!.map((o) => o.changed),
        [false, true],
      );
    } finally {
      await undo();
    }
  });

  it('--graph still deploys the project graph, not the pipeline', async () => {
    const r = await aio(['deploy', 'graph', '--env', 'staging']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout) as DeployJson;
    assert.equal(body.pipeline, undefined);
    assert.deepEqual(
      body.nodes.map((n) => n.node),
      ['source', 'processor', 'destination'],
    );
    assert.ok(!looksLikeStackTrace(r.stdout + r.stderr));
  });
});
