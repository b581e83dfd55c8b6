import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ArmServer } from '../helpers/arm-server.js';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import type { KubeServer } from '../helpers/kube-server.js';
import { skopeoDigest, skopeoManifest, type LocalRegistry } from '../helpers/registry.js';
import { startStages, type Stages } from '../helpers/stages.js';

const ARM_TOKEN = 'arm-token-promote';

interface PromoteJson {
  from: string;
  to: string;
  graph: { artifact: string; digest: string };
  modules: Array<{ reference: string; digest: string }>;
  copied?: Array<{ reference: string; digest: string; blobs: Array<{ status: string }> }>;
  deployment: { state: string; changes?: Array<{ changeType: string }> };
  dryRun?: boolean;
  error?: { code: string; message: string; hint?: string };
}

/**
 * Staging (Kubernetes) and production (ARM) each have their own HTTPS registry, both real docker-registry
 * instances: a cluster environment refuses plain HTTP, as the service would.
 */
describe('deploy --push and aio promote --from staging --to prod, through real registries', () => {
  let stages: Stages;
  let ws: string;
  let staging: LocalRegistry;
  let prod: LocalRegistry;
  let arm: ArmServer;
  let kube: KubeServer;
  before(async () => {
    stages = await startStages(ARM_TOKEN);
    ({ ws, staging, prod, arm, kube } = stages);
  });
  after(() => stages.stop());

  const aio = (args: string[]) => runCli([...args, '--json'], { cwd: stages.ws, env: stages.env });

  it('promote before anything was pushed to staging says to push first, and copies nothing', async () => {
    const r = await aio(['promote', '--from', 'staging', '--to', 'prod']);
    assert.equal(r.code, 4, r.stderr);
    const body = JSON.parse(r.stdout) as PromoteJson;
    assert.equal(body.error!.code, 'AIO_PROMOTE_SOURCE_MISSING');
    assert.match(body.error!.message, new RegExp(`graph ${staging.host}/thermostat-graph:1\\.0\\.0 is not in the source registry`));
    assert.match(body.error!.hint!, /aio deploy graph --env <from> --push/);
    assert.ok(!looksLikeStackTrace(r.stdout + r.stderr));
    assert.equal(arm.deployments.length, 0);
  });

  it('deploy --push pushes over HTTPS, checks the tags resolve to the pushed digests, then applies', async () => {
    const preview = await aio(['deploy', 'graph', '--env', 'staging', '--push', '--dry-run']);
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.stderr, /not pushing: a preview changes nothing/);
    await assert.rejects(skopeoManifest(`${staging.host}/thermostat-graph:1.0.0`), 'a preview pushed nothing');

    const r = await aio(['deploy', 'graph', '--env', 'staging', '--push']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout) as { pushed: { graph: { reference: string; digest: string }; modules: Record<string, string> }; state: string };
    assert.equal(body.state, 'Succeeded');
    assert.equal(body.pushed.graph.reference, `${staging.host}/thermostat-graph:1.0.0`);
    assert.deepEqual(Object.keys(body.pushed.modules).sort(), [`${staging.host}/thermostat:1.0.0`, `${staging.host}/window:1.0.0`]);
    // skopeo, an independent client, resolves the tags to the digests aio reported.
    assert.equal(await skopeoDigest(body.pushed.graph.reference), body.pushed.graph.digest);
    for (const [reference, digest] of Object.entries(body.pushed.modules)) assert.equal(await skopeoDigest(reference), digest);
    assert.equal(kube.objects.get('dataflowgraphs/azure-iot-operations/thermostat')!['spec'].nodes[1].graphSettings.artifact, 'thermostat-graph:1.0.0');
  });

  it('promote copies the graph and every module by digest to the prod registry, then deploys through ARM', async () => {
    const r = await aio(['promote', '--from', 'staging', '--to', 'prod']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout) as PromoteJson;
    assert.equal(body.deployment.state, 'Succeeded');
    assert.deepEqual(
      body.copied!.map((c) => c.reference),
      [`${prod.host}/thermostat:1.0.0`, `${prod.host}/window:1.0.0`, `${prod.host}/thermostat-graph:1.0.0`],
    );
    for (const copied of body.copied!) {
      const name = copied.reference.slice(prod.host.length);
      const [fromStaging, fromProd] = await Promise.all([skopeoManifest(`${staging.host}${name}`), skopeoManifest(`${prod.host}${name}`)]);
      assert.deepEqual(fromProd, fromStaging, `${name}: byte-identical manifest`);
      assert.ok(copied.blobs.every((b) => b.status === 'uploaded'));
    }
    assert.equal(body.copied!.at(-1)!.digest, body.graph.digest);
    const graph = [...arm.resources.entries()].find(([id]) => id.endsWith('/dataflowgraphs/thermostat'));
    assert.ok(graph, 'the DataflowGraph was deployed to prod');
    assert.equal((graph[1].properties['nodes'] as Array<Record<string, any>>)[1]!['graphSettings'].registryEndpointRef, 'acr-prod');
    assert.match(r.stderr, /thermostat-graph:1\.0\.0@sha256:[0-9a-f]{64} with 2 module\(s\): staging → prod/);
  });

  it('promoting again copies nothing new and changes nothing; --dry-run copies nothing', async () => {
    const etags = [...arm.resources.values()].map((x) => x.etag);
    const again = await aio(['promote', '--from', 'staging', '--to', 'prod', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    const body = JSON.parse(again.stdout) as PromoteJson;
    assert.ok(body.copied!.every((c) => c.blobs.every((b) => b.status === 'present')));
    assert.deepEqual(
      body.deployment.changes!.map((c) => c.changeType),
      ['unchanged', 'unchanged'],
    );
    assert.deepEqual(
      [...arm.resources.values()].map((x) => x.etag),
      etags,
    );
    const dry = await aio(['promote', '--from', 'staging', '--to', 'prod', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    const preview = JSON.parse(dry.stdout) as PromoteJson;
    assert.equal(preview.dryRun, true);
    assert.deepEqual(
      preview.deployment.changes!.map((c) => c.changeType),
      ['NoChange', 'NoChange'],
    );
  });

  it('promote ships the artifact that was tested, not the local file, and checks it against the target first', async () => {
    // The local graph is broken after staging was pushed; promotion reads staging's artifact, not the file.
    const graphFile = join(ws, 'graph.dataflow.yaml');
    const original = await readFile(graphFile, 'utf8');
    await writeFile(graphFile, 'moduleRequirements: [not, a, graph\n');
    try {
      const r = await aio(['promote', '--from', 'staging', '--to', 'prod', '--dry-run']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as PromoteJson).graph.digest, await skopeoDigest(`${staging.host}/thermostat-graph:1.0.0`));
    } finally {
      await writeFile(graphFile, original);
    }
    const same = await aio(['promote', '--from', 'prod', '--to', 'prod']);
    assert.equal(same.code, 3);
    assert.equal((JSON.parse(same.stdout) as PromoteJson).error!.code, 'AIO_PROMOTE_SAME_ENV');
    const noRegistry = await aio(['promote', '--from', 'local', '--to', 'prod']);
    assert.equal(noRegistry.code, 3);
    assert.equal((JSON.parse(noRegistry.stdout) as PromoteJson).error!.code, 'AIO_PROMOTE_NO_REGISTRY');
  });
});
