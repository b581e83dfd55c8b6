/**
 * Issue #30.5, #30.9 and #28.6: what a registry's manifest names is untrusted. A layer digest that is a path
 * (`sha256:../../../victim`) is refused before it is used as a file name or URL; layer titles that name no file
 * are AIO_REGISTRY_BAD_TITLE (not AIO_INTERNAL EISDIR); and a bad registry host exits 2 wherever it is written.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { looksLikeStackTrace } from '../helpers/cli.js';
import { moduleManifest, runMeasured, sendManifest, sha256, startHostile, type HostileServer } from '../helpers/hostile-registry.js';
import { withTempDir } from '../helpers/temp-dir.js';

const WASM = Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]), Buffer.from('a module')]);
const FAST = ['--plain-http', '--idle-timeout', '2s', '--retries', '0'];
const MAX_SECONDS = 60;

const servers: HostileServer[] = [];
after(async () => Promise.all(servers.map((s) => s.stop())));

/** A registry whose manifest carries `layer`, and which serves the module bytes for any blob it is asked for. */
async function registryWith(layer: { digest: string; size: number; title?: string }): Promise<HostileServer> {
  const server = await startHostile((req, res) => {
    if (req.url!.includes('/manifests/')) return sendManifest(res, moduleManifest(layer));
    res.writeHead(200, { 'content-length': String(WASM.length) });
    res.end(WASM);
  });
  servers.push(server);
  return server;
}

const GRAPH = `metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: victim, version: "1.0.0" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: module/map, module: "victim:1.0.0" }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: module/map } }
  - { from: { name: module/map }, to: { name: sink } }
`;

describe('untrusted manifests', () => {
  it('aio emulate --registry refuses a layer digest that is a path, before it fetches or loads anything', async () => {
    const server = await registryWith({ digest: 'sha256:../../../victim', size: WASM.length });
    await withTempDir(async (dir) => {
      const cache = join(dir, 'cache');
      // What the attack wanted loaded: a file outside the module cache that the digest walks up to.
      await mkdir(join(cache, 'modules', 'sha256'), { recursive: true });
      await writeFile(join(dir, 'victim.wasm'), WASM);
      await writeFile(join(dir, 'graph.yaml'), GRAPH);
      await mkdir(join(dir, 'data'));
      await writeFile(join(dir, 'data', 'message1.txt'), 'hello');
      const run = await runMeasured(['emulate', join(dir, 'graph.yaml'), '--data', join(dir, 'data'), '--registry', `http://${server.host}`], {
        cwd: dir,
        env: { AIO_CACHE_DIR: cache },
      });
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, /AIO_REGISTRY_BAD_DIGEST/);
      assert.match(run.stderr, /has the digest "sha256:\.\.\/\.\.\/\.\.\/victim", which is not sha256:<64 lower-case hex digits>/);
      assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
      assert.equal(server.requests.filter((r) => r.url.includes('/blobs/')).length, 0, 'no blob is fetched for it');
      assert.deepEqual(await readdir(join(cache, 'modules', 'sha256')), []);
      assert.ok(run.seconds < MAX_SECONDS);
    });
  });

  it('aio registry pull refuses a digest of the wrong length or algorithm', async () => {
    for (const digest of [`sha256:${'a'.repeat(63)}`, `sha256:${'A'.repeat(64)}`, `md5:${'a'.repeat(32)}`, 'sha256:']) {
      const server = await registryWith({ digest, size: WASM.length, title: 'module.wasm' });
      await withTempDir(async (dir) => {
        const run = await runMeasured(['registry', 'pull', `${server.host}/mod:1.0.0`, '-o', dir, ...FAST]);
        assert.equal(run.code, 4, run.stderr);
        assert.match(run.stderr, /AIO_REGISTRY_BAD_DIGEST/, digest);
        assert.deepEqual(await readdir(dir), []);
      });
    }
  });

  it('layer titles "..", "." and "" are AIO_REGISTRY_BAD_TITLE, with nothing written', async () => {
    for (const title of ['..', '.', '', '../escape.wasm']) {
      const server = await registryWith({ digest: sha256(WASM), size: WASM.length, title });
      await withTempDir(async (dir) => {
        const out = join(dir, 'out');
        await mkdir(out);
        const run = await runMeasured(['registry', 'pull', `${server.host}/mod:1.0.0`, '-o', out, ...FAST]);
        assert.equal(run.code, 4, `${JSON.stringify(title)}: ${run.stderr}`);
        assert.match(run.stderr, /AIO_REGISTRY_BAD_TITLE/);
        assert.doesNotMatch(run.stderr, /AIO_INTERNAL|EISDIR/);
        assert.deepEqual(await readdir(dir), ['out']);
        assert.deepEqual(await readdir(out), []);
      });
    }
  });

  it('a bad registry host exits 2 with AIO_REGISTRY_BAD_HOST, in a reference as in --registry', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'module.wasm'), WASM);
      const inReference = await runMeasured(['registry', 'push', 'bad_host!/x:1', join(dir, 'module.wasm'), '--plain-http']);
      const inPull = await runMeasured(['registry', 'pull', 'bad_host!.example/x:1', '--plain-http']);
      const inFlag = await runMeasured(['emulate', join(dir, 'graph.yaml'), '--data', dir, '--registry', 'bad_host!']);
      for (const run of [inReference, inPull, inFlag]) {
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, /AIO_REGISTRY_BAD_HOST/);
      }
    });
  });
});
