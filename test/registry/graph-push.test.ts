import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { useTempCache } from '../helpers/components.js';
import { copyExample } from '../helpers/examples.js';
import { skopeoManifest, startRegistry, type LocalRegistry } from '../helpers/registry.js';
import { withTempDir } from '../helpers/temp-dir.js';

interface GraphPush {
  graph: { reference: string; digest: string; kind: string };
  modules: Array<{ reference: string; digest: string; file: string; blobs: Array<{ status: string }> }>;
}

describe('aio registry push --graph, and aio emulate pulling modules from the registry', () => {
  let registry: LocalRegistry;
  before(async () => {
    useTempCache();
    registry = await startRegistry();
  });
  after(async () => {
    await registry.stop();
  });

  it('pushes the graph and every module it references, modules first, in the shapes skopeo reads back', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const r = await runCli(['registry', 'push', registry.host, '--graph', join(ws, 'graph.dataflow.yaml'), '--plain-http', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const pushed = JSON.parse(r.stdout) as GraphPush;
      assert.deepEqual(
        pushed.modules.map((m) => m.reference),
        [`${registry.host}/thermostat:1.0.0`, `${registry.host}/window:1.0.0`],
      );
      assert.equal(pushed.graph.reference, `${registry.host}/thermostat-graph:1.0.0`);
      const graphManifest = await skopeoManifest(pushed.graph.reference);
      assert.equal(graphManifest['config'].mediaType, 'application/vnd.microsoft.aio.graph.v1+yaml');
      assert.equal(graphManifest['layers'][0].annotations['org.opencontainers.image.title'], 'graph.dataflow.yaml');
      for (const m of pushed.modules) {
        const manifest = await skopeoManifest(m.reference);
        assert.equal(manifest['artifactType'], 'application/vnd.module.wasm.content.layer.v1+wasm');
        assert.equal(manifest['layers'][0].mediaType, 'application/wasm');
        assert.match(manifest['layers'][0].annotations['org.opencontainers.image.title'], /^(thermostat|window)\.wasm$/);
      }
      const text = await runCli(['registry', 'push', registry.host, '--graph', join(ws, 'graph.dataflow.yaml'), '--plain-http']);
      assert.match(text.stderr, /pushing module thermostat:1\.0\.0[\s\S]*pushing module window:1\.0\.0[\s\S]*pushing graph thermostat-graph:1\.0\.0/);
      assert.match(text.stdout, /pushed module .*thermostat:1\.0\.0@sha256:[0-9a-f]{64} \(0 blob\(s\) uploaded, 2 already present\)/);
    });
  });

  it('names the graph artifact with --name, fills ${VAR} placeholders first, and refuses when one is unset', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const graphFile = join(ws, 'graph.dataflow.yaml');
      const text = await readFile(graphFile, 'utf8');
      await writeFile(graphFile, text.replace('version: "1.0.0"', 'version: "${VERSION}"').replaceAll('"window:1.0.0"', '"window:${VERSION}"'));

      const unset = await runCli(['registry', 'push', registry.host, '--graph', graphFile, '--plain-http'], { env: { VERSION: undefined } });
      assert.equal(unset.code, 3);
      assert.match(unset.stderr, /AIO_PLACEHOLDER_UNSET: .*\$\{VERSION\}[\s\S]*hint: set VERSION=/);
      assert.ok(!looksLikeStackTrace(unset.stderr));

      const clash = await runCli(['registry', 'push', registry.host, '--graph', graphFile, '--name', 'window:2.0.0', '--plain-http'], {
        env: { VERSION: '2.0.0' },
      });
      assert.equal(clash.code, 3);
      assert.match(clash.stderr, /AIO_REGISTRY_NAME_COLLISION/);

      const r = await runCli(['registry', 'push', registry.host, '--graph', graphFile, '--name', 'graphs-thermostat:2.0.0', '--plain-http', '--json'], {
        env: { VERSION: '2.0.0' },
      });
      assert.equal(r.code, 0, r.stderr);
      const pushed = JSON.parse(r.stdout) as GraphPush;
      assert.equal(pushed.graph.reference, `${registry.host}/graphs-thermostat:2.0.0`);
      assert.ok(pushed.modules.some((m) => m.reference === `${registry.host}/window:2.0.0`));
      const pulled = join(dir, 'pulled.yaml');
      assert.equal((await runCli(['registry', 'pull', `${registry.host}/graphs-thermostat:2.0.0`, '-o', pulled, '--plain-http'])).code, 0);
      const graphText = await readFile(pulled, 'utf8');
      assert.match(graphText, /version: "2\.0\.0"/);
      assert.ok(!graphText.includes('${'), 'the pushed graph has no placeholders left');
    });
  });

  it('a second push of the same graph sends no module bytes again', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const args = ['registry', 'push', registry.host, '--graph', join(ws, 'graph.dataflow.yaml'), '--plain-http', '--json'];
      assert.equal((await runCli(args)).code, 0);
      const again = JSON.parse((await runCli(args)).stdout) as GraphPush;
      for (const m of again.modules)
        assert.ok(
          m.blobs.every((b) => b.status === 'present'),
          `${m.reference} re-sent a blob`,
        );
    });
  });

  it("aio emulate pulls a pipeline node's custom graph and its modules from the registry, as the cluster does", async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', join(dir, 'built'));
      const push = ['registry', 'push', registry.host, '--graph', join(ws, 'graph.dataflow.yaml'), '--name', 'thermostat-graph:1.0.0', '--plain-http'];
      assert.equal((await runCli(push)).code, 0);
      const bare = await copyExample('thermostat', join(dir, 'bare'));
      await rm(join(bare, 'operators'), { recursive: true });
      await rm(join(bare, 'aio.yaml')); // nothing local says where thermostat-graph:1.0.0 is

      const missing = await runCli(['emulate', join(bare, 'pipeline.dataflowgraph.yaml'), '--data', join(bare, 'data')], { env: { AIO_REGISTRY: undefined } });
      assert.equal(missing.code, 3);
      assert.match(missing.stderr, /AIO_PIPELINE_GRAPH_NOT_FOUND: node thermostat: thermostat-graph:1\.0\.0 is not a built-in transform/);

      const args = ['emulate', join(bare, 'pipeline.dataflowgraph.yaml'), '--data', join(bare, 'data'), '--registry', `http://${registry.host}`, '--json'];
      const pulled = await runCli(args);
      assert.equal(pulled.code, 0, pulled.stderr);
      const result = JSON.parse(pulled.stdout) as { inputFiles: number; operations: Array<{ operation: string; in: number }> };
      assert.equal(result.inputFiles, 5);
      assert.equal(result.operations.find((o) => o.operation === 'thermostat/module-thermostat/map')!.in, 5, 'the pulled graph ran');
      assert.match(pulled.stderr, /module thermostat:1\.0\.0 ← .*modules\/sha256\/[0-9a-f]{64}\.wasm/);
    });
  });

  it('aio emulate pulls modules the workspace has not built, by reference, and runs them', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', join(dir, 'built'));
      assert.equal((await runCli(['registry', 'push', registry.host, '--graph', join(ws, 'graph.dataflow.yaml'), '--plain-http'])).code, 0);
      const bare = await copyExample('thermostat', join(dir, 'bare'));
      await rm(join(bare, 'operators'), { recursive: true });

      const missing = await runCli(['emulate', join(bare, 'graph.dataflow.yaml'), '--data', join(bare, 'data')], { env: { AIO_REGISTRY: undefined } });
      assert.equal(missing.code, 3);
      assert.match(missing.stderr, /AIO_EMULATE_MODULE_NOT_FOUND[\s\S]*--registry <host>/);

      const pulled = await runCli(['emulate', join(bare, 'graph.dataflow.yaml'), '--data', join(bare, 'data'), '--registry', `http://${registry.host}`]);
      assert.equal(pulled.code, 0, pulled.stderr);
      assert.match(pulled.stdout, /5 input file\(s\) → 2 sink message\(s\)/);
      assert.match(pulled.stderr, /module thermostat:1\.0\.0 ← .*modules\/sha256\/[0-9a-f]{64}\.wasm/);
      const cached = await readdir(join(process.env['AIO_CACHE_DIR']!, 'modules', 'sha256'));
      assert.equal(cached.filter((f) => f.endsWith('.wasm')).length, 2);
    });
  });
});
