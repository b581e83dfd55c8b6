import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ArmServer } from '../helpers/arm-server.js';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import type { KubeServer } from '../helpers/kube-server.js';
import { skopeoDigest, skopeoManifest, type LocalRegistry } from '../helpers/registry.js';
import { startStages, type Stages } from '../helpers/stages.js';

const ARM_TOKEN = 'arm-token-pipeline-promote';

interface PromoteJson {
  pipeline: string;
  graphs: Array<{ artifact: string; nodes: string[]; digest: string; modules: Array<{ reference: string; digest: string }> }>;
  copied?: Array<{ reference: string; digest: string; blobs: Array<{ status: string }> }>;
  deployment: { state: string; nodes: Array<{ node: string; change: string }>; changes?: Array<{ changeType: string }> };
  error?: { code: string; message: string };
}

/**
 * The example's pipeline goes from pipeline-staging (Kubernetes, its own HTTPS docker-registry) to pipeline-prod
 * (ARM, another docker-registry): `deploy --push` puts the custom graph in staging's registry, `promote` copies
 * it and its modules by digest to prod's and deploys there. The built-in map and window are Microsoft's: neither
 * registry ever holds them.
 */
describe('deploy --push and aio promote of a pipeline, through real registries', () => {
  let stages: Stages;
  let staging: LocalRegistry;
  let prod: LocalRegistry;
  let arm: ArmServer;
  let kube: KubeServer;
  before(async () => {
    stages = await startStages(ARM_TOKEN);
    ({ staging, prod, arm, kube } = stages);
  });
  after(() => stages.stop());

  const aio = (args: string[]) => runCli([...args, '--json'], { cwd: stages.ws, env: stages.env });
  const builtins = ['azureiotoperations/graph-dataflow-map:1.0.0', 'azureiotoperations/graph-dataflow-window:1.1.0'];

  it('promote before the pipeline’s graph is in staging says to push first', async () => {
    const r = await aio(['promote', '--from', 'pipeline-staging', '--to', 'pipeline-prod']);
    assert.equal(r.code, 4, r.stderr);
    const body = JSON.parse(r.stdout) as PromoteJson;
    assert.equal(body.error!.code, 'AIO_PROMOTE_SOURCE_MISSING');
    assert.match(body.error!.message, new RegExp(`graph ${staging.host}/thermostat-graph:1\\.0\\.0 is not in the source registry`));
    assert.ok(!looksLikeStackTrace(r.stdout + r.stderr));
    assert.equal(arm.deployments.length, 0);
  });

  it('deploy --push pushes the pipeline’s custom graph and its modules to staging, then applies the pipeline', async () => {
    const r = await aio(['deploy', 'graph', '--env', 'pipeline-staging', '--push']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout) as {
      pushed: { graphs: Array<{ artifact: string; nodes: string[]; graph: { reference: string; digest: string }; modules: Record<string, string> }> };
      state: string;
    };
    assert.equal(body.state, 'Succeeded');
    assert.deepEqual(
      body.pushed.graphs.map((g) => [g.artifact, g.nodes, g.graph.reference]),
      [['thermostat-graph:1.0.0', ['thermostat'], `${staging.host}/thermostat-graph:1.0.0`]],
    );
    const [pushed] = body.pushed.graphs;
    assert.deepEqual(Object.keys(pushed!.modules).sort(), [`${staging.host}/thermostat:1.0.0`, `${staging.host}/window:1.0.0`]);
    // skopeo, an independent client, resolves the tags to the digests aio reported.
    assert.equal(await skopeoDigest(pushed!.graph.reference), pushed!.graph.digest);
    for (const [reference, digest] of Object.entries(pushed!.modules)) assert.equal(await skopeoDigest(reference), digest);
    for (const builtin of builtins) await assert.rejects(skopeoManifest(`${staging.host}/${builtin}`), `${builtin} is not pushed`);
    assert.ok(kube.objects.has('dataflowgraphs/azure-iot-operations/thermostat-pipeline'));
  });

  it('promote copies the custom graph and its modules by digest to prod, leaves the built-ins alone, and deploys the pipeline through ARM', async () => {
    const r = await aio(['promote', '--from', 'pipeline-staging', '--to', 'pipeline-prod']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout) as PromoteJson;
    assert.equal(body.pipeline, 'thermostat-pipeline');
    assert.deepEqual(
      body.graphs.map((g) => [g.artifact, g.nodes]),
      [['thermostat-graph:1.0.0', ['thermostat']]],
    );
    assert.deepEqual(
      body.copied!.map((c) => c.reference),
      [`${prod.host}/thermostat:1.0.0`, `${prod.host}/window:1.0.0`, `${prod.host}/thermostat-graph:1.0.0`],
    );
    for (const copied of body.copied!) {
      const name = copied.reference.slice(prod.host.length);
      const [fromStaging, fromProd] = await Promise.all([skopeoManifest(`${staging.host}${name}`), skopeoManifest(`${prod.host}${name}`)]);
      assert.deepEqual(fromProd, fromStaging, `${name}: byte-identical manifest`);
      assert.equal(await skopeoDigest(`${staging.host}${name}`), copied.digest);
    }
    for (const builtin of builtins) await assert.rejects(skopeoManifest(`${prod.host}/${builtin}`), `${builtin} is not copied`);
    assert.equal(body.deployment.state, 'Succeeded');
    assert.deepEqual(
      body.deployment.nodes.map((n) => n.change),
      ['added', 'added', 'added', 'added', 'added'],
    );
    const graph = [...arm.resources.entries()].find(([id]) => id.endsWith('/dataflowgraphs/thermostat-pipeline'));
    assert.ok(graph, 'the pipeline’s DataflowGraph was deployed to prod');
    const nodes = graph[1].properties['nodes'] as Array<Record<string, any>>;
    assert.equal(nodes.find((n) => n['name'] === 'thermostat')!['graphSettings'].registryEndpointRef, 'acr-prod');
    assert.equal(nodes.find((n) => n['name'] === 'summary')!['graphSettings'].registryEndpointRef, 'default');
    assert.match(r.stderr, /thermostat-graph:1\.0\.0@sha256:[0-9a-f]{64} with 2 module\(s\) for node\(s\) thermostat: pipeline-staging → pipeline-prod/);
  });

  it('promoting again copies nothing new and changes no node', async () => {
    const r = await aio(['promote', '--from', 'pipeline-staging', '--to', 'pipeline-prod', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout) as PromoteJson;
    assert.ok(body.copied!.every((c) => c.blobs.every((b) => b.status === 'present')));
    assert.ok(body.deployment.nodes.every((n) => n.change === 'unchanged'));
    assert.deepEqual(
      body.deployment.changes!.map((c) => c.changeType),
      ['unchanged', 'unchanged'],
    );
  });
});
