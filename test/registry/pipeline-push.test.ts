/** `aio registry push <registry> --graph <pipeline manifest>`: every custom graph the pipeline uses, none of the built-ins. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { useTempCache } from '../helpers/components.js';
import { copyExample } from '../helpers/examples.js';
import { skopeoManifest, startRegistry, type LocalRegistry } from '../helpers/registry.js';
import { withTempDir } from '../helpers/temp-dir.js';

interface PipelinePush {
  graphs: Array<{ artifact: string; nodes: string[]; graph: { reference: string; digest: string }; modules: Array<{ reference: string }> }>;
}

describe('aio registry push --graph of a pipeline', () => {
  let registry: LocalRegistry;
  before(async () => {
    useTempCache();
    registry = await startRegistry();
  });
  after(async () => {
    await registry.stop();
  });

  it('pushes the custom thermostat graph under its node’s artifact with its modules, and leaves the built-in map and window alone', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const r = await runCli(['registry', 'push', registry.host, '--graph', join(ws, 'pipeline.dataflowgraph.yaml'), '--plain-http', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const pushed = JSON.parse(r.stdout) as PipelinePush;
      assert.deepEqual(
        pushed.graphs.map((g) => [g.artifact, g.nodes, g.graph.reference]),
        [['thermostat-graph:1.0.0', ['thermostat'], `${registry.host}/thermostat-graph:1.0.0`]],
      );
      assert.deepEqual(
        pushed.graphs[0]!.modules.map((m) => m.reference),
        [`${registry.host}/thermostat:1.0.0`, `${registry.host}/window:1.0.0`],
      );
      const manifest = await skopeoManifest(`${registry.host}/thermostat-graph:1.0.0`);
      assert.equal(manifest['config'].mediaType, 'application/vnd.microsoft.aio.graph.v1+yaml');
      const tags = await runCli(['registry', 'tags', `${registry.host}/azureiotoperations/graph-dataflow-map`, '--plain-http']);
      assert.notEqual(tags.code, 0, 'no built-in was pushed');

      const named = await runCli(['registry', 'push', registry.host, '--graph', join(ws, 'pipeline.dataflowgraph.yaml'), '--name', 'x:1', '--plain-http']);
      assert.equal(named.code, 2);
      assert.match(named.stderr, /AIO_USAGE_CONFLICT/);
    });
  });
});
