import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { anonymous } from '../../src/registry/auth.js';
import { moduleArtifact } from '../../src/registry/artifacts.js';
import { OciClient } from '../../src/registry/oci-client.js';
import { parseReference } from '../../src/registry/reference.js';
import { pushPlan } from '../../src/registry/transfer.js';
import { startAuthProxy, type AuthProxy } from '../helpers/auth-proxy.js';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { skopeoManifest, startRegistry, type LocalRegistry } from '../helpers/registry.js';
import { withTempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);

/** A WebAssembly-looking file: the magic and version, then random-ish bytes. */
function fakeWasm(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]).copy(bytes);
  let x = seed;
  for (let i = 8; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = x >>> 16;
  }
  return bytes;
}

const graphFile = join(repoRoot, 'examples', 'thermostat', 'graph.dataflow.yaml');

describe('aio registry against a real registry (docker-registry), checked with skopeo', () => {
  let registry: LocalRegistry;
  before(async () => {
    registry = await startRegistry();
  });
  after(async () => {
    await registry.stop();
  });

  it('pushes a module in exactly the oras shape', async () => {
    await withTempDir(async (dir) => {
      const wasm = join(dir, 'thermostat.wasm');
      await writeFile(wasm, fakeWasm(4096));
      const r = await runCli(['registry', 'push', `${registry.host}/thermostat:1.0.0`, wasm, '--plain-http', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const pushed = JSON.parse(r.stdout) as { digest: string; kind: string };
      assert.equal(pushed.kind, 'module');
      const manifest = await skopeoManifest(`${registry.host}/thermostat:1.0.0`);
      assert.equal(manifest['mediaType'], 'application/vnd.oci.image.manifest.v1+json');
      assert.equal(manifest['artifactType'], 'application/vnd.module.wasm.content.layer.v1+wasm');
      assert.deepEqual(manifest['config'], {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
        data: 'e30=',
      });
      assert.equal(manifest['layers'].length, 1);
      assert.equal(manifest['layers'][0].mediaType, 'application/wasm');
      assert.equal(manifest['layers'][0].size, 4096);
      assert.equal(manifest['layers'][0].annotations['org.opencontainers.image.title'], 'thermostat.wasm');
      assert.match(manifest['annotations']['org.opencontainers.image.created'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });
  });

  it('pushes a graph in exactly the oras shape, and pulls it back unchanged', async () => {
    const r = await runCli(['registry', 'push', `${registry.host}/graphs/thermostat:1.0.0`, graphFile, '--plain-http']);
    assert.equal(r.code, 0, r.stderr);
    const manifest = await skopeoManifest(`${registry.host}/graphs/thermostat:1.0.0`);
    assert.equal(manifest['artifactType'], undefined);
    assert.deepEqual(manifest['config'], {
      mediaType: 'application/vnd.microsoft.aio.graph.v1+yaml',
      digest: 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      size: 0,
    });
    assert.equal(manifest['layers'][0].mediaType, 'application/yaml');
    assert.equal(manifest['layers'][0].annotations['org.opencontainers.image.title'], 'graph.dataflow.yaml');
    await withTempDir(async (dir) => {
      const pulled = await runCli(['registry', 'pull', `${registry.host}/graphs/thermostat:1.0.0`, '-o', dir, '--plain-http']);
      assert.equal(pulled.code, 0, pulled.stderr);
      assert.equal(await readFile(join(dir, 'graph.dataflow.yaml'), 'utf8'), await readFile(graphFile, 'utf8'));
    });
  });

  it('fills ${VAR} placeholders before pushing a graph, and refuses when one is unset or the graph is invalid', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'graph.yaml');
      await writeFile(file, (await readFile(graphFile, 'utf8')).replace('version: "1.0.0"', 'version: "${VERSION}"'));
      const unset = await runCli(['registry', 'push', `${registry.host}/graphs/placeholder:1`, file, '--plain-http'], { env: { VERSION: undefined } });
      assert.equal(unset.code, 3);
      assert.match(unset.stderr, /AIO_PLACEHOLDER_UNSET: .+\$\{VERSION\}/);
      const set = await runCli(['registry', 'push', `${registry.host}/graphs/placeholder:1`, file, '--plain-http'], { env: { VERSION: '2.3.4' } });
      assert.equal(set.code, 0, set.stderr);
      await runCli(['registry', 'pull', `${registry.host}/graphs/placeholder:1`, '-o', join(dir, 'out.yaml'), '--plain-http']);
      assert.match(await readFile(join(dir, 'out.yaml'), 'utf8'), /version: "2\.3\.4"/);
      const invalid = await runCli([
        'registry',
        'push',
        `${registry.host}/graphs/bad:1`,
        join(repoRoot, 'test', 'fixtures', 'graphs', 'invalid', 'cycle.yaml'),
        '--plain-http',
      ]);
      assert.equal(invalid.code, 3);
      assert.match(invalid.stderr, /AIO_GRAPH_INVALID/);
    });
  });

  it('skips blobs the registry already has, so a repeated push sends no content', async () => {
    const ref = parseReference(`${registry.host}/repeat:1`);
    const plan = moduleArtifact('repeat.wasm', fakeWasm(100_000, 7), new Date('2026-01-01T00:00:00Z'));
    const access = { plainHttp: true, credentials: anonymous };
    const first = await pushPlan(ref, plan, access);
    const second = await pushPlan(ref, plan, access);
    assert.deepEqual(
      first.blobs.map((b) => b.status),
      ['uploaded', 'uploaded'],
    );
    assert.deepEqual(
      second.blobs.map((b) => b.status),
      ['present', 'present'],
    );
    assert.equal(first.digest, second.digest);
  });

  it('uploads large blobs in chunks and pulls them back byte for byte, also by digest', async () => {
    const bytes = fakeWasm(3 * 1024 * 1024 + 17, 3);
    const client = new OciClient({ registry: registry.host, plainHttp: true, credentials: anonymous, chunkSize: 1024 * 1024 });
    const ref = parseReference(`${registry.host}/chunked:1`);
    const progress: number[] = [];
    const result = await pushPlan(
      ref,
      moduleArtifact('chunked.wasm', bytes, new Date()),
      { plainHttp: true, credentials: anonymous, onProgress: (_l, done) => progress.push(done) },
      client,
    );
    assert.ok(progress.filter((p) => p > 0 && p < bytes.length).length >= 3, `expected chunk progress, got ${progress.join(',')}`);
    await withTempDir(async (dir) => {
      const r = await runCli(['registry', 'pull', `${registry.host}/chunked@${result.digest}`, '-o', join(dir, 'x.wasm'), '--plain-http']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok((await readFile(join(dir, 'x.wasm'))).equals(bytes));
    });
  });

  it('detects a corrupted blob on pull by its digest (exit 4)', async () => {
    const bytes = fakeWasm(5000, 11);
    const result = await pushPlan(parseReference(`${registry.host}/corrupt:1`), moduleArtifact('c.wasm', bytes, new Date()), {
      plainHttp: true,
      credentials: anonymous,
    });
    const layer = result.blobs.find((b) => b.mediaType === 'application/wasm')!;
    const hex = layer.digest.slice('sha256:'.length);
    const blobPath = join(registry.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
    const stored = await readFile(blobPath);
    stored[100] = stored[100]! ^ 0xff;
    await writeFile(blobPath, stored);
    await withTempDir(async (dir) => {
      const r = await runCli(['registry', 'pull', `${registry.host}/corrupt:1`, '-o', dir, '--plain-http']);
      assert.equal(r.code, 4);
      assert.match(r.stderr, /AIO_REGISTRY_DIGEST_MISMATCH/);
      assert.deepEqual(await readdir(dir), [], 'nothing is written from a corrupted pull');
    });
  });

  it('lists every tag across pages', async () => {
    const plan = moduleArtifact('t.wasm', fakeWasm(64, 5), new Date());
    for (const tag of ['1.0.0', '1.1.0', '2.0.0', 'latest', 'rc'])
      await pushPlan(parseReference(`${registry.host}/paged:${tag}`), plan, { plainHttp: true, credentials: anonymous });
    const client = new OciClient({ registry: registry.host, plainHttp: true, credentials: anonymous });
    assert.deepEqual((await client.listTags('paged', 2)).sort(), ['1.0.0', '1.1.0', '2.0.0', 'latest', 'rc']);
    const r = await runCli(['registry', 'tags', `${registry.host}/paged`, '--plain-http', '--json']);
    assert.deepEqual((JSON.parse(r.stdout) as { tags: string[] }).tags.sort(), ['1.0.0', '1.1.0', '2.0.0', 'latest', 'rc']);
  });

  it('copies an artifact to another repository with the same digest', async () => {
    const source = await pushPlan(parseReference(`${registry.host}/staging/m:1`), moduleArtifact('m.wasm', fakeWasm(2000, 9), new Date()), {
      plainHttp: true,
      credentials: anonymous,
    });
    const r = await runCli(['registry', 'copy', `${registry.host}/staging/m@${source.digest}`, `${registry.host}/prod/m:1`, '--plain-http', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { digest: string }).digest, source.digest);
    const { stdout } = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/prod/m:1`]);
    assert.equal(`sha256:${(await import('node:crypto')).createHash('sha256').update(stdout).digest('hex')}`, source.digest);
  });

  it('answers the referrers API with an empty list where the registry lacks it', async () => {
    const client = new OciClient({ registry: registry.host, plainHttp: true, credentials: anonymous });
    const pushed = await pushPlan(parseReference(`${registry.host}/ref:1`), moduleArtifact('r.wasm', fakeWasm(100), new Date()), {
      plainHttp: true,
      credentials: anonymous,
    });
    assert.deepEqual(await client.referrers('ref', pushed.digest), []);
  });

  describe('authentication in front of the registry', () => {
    let basic: AuthProxy;
    let token: AuthProxy;
    let flaky: AuthProxy;
    before(async () => {
      basic = await startAuthProxy(registry.host, { mode: { kind: 'basic', username: 'alice', password: 's3cret-basic' } });
      token = await startAuthProxy(registry.host, {
        mode: { kind: 'token', username: 'bob', password: 's3cret-token', token: 'tok-abc123' },
        relativeLocation: true,
      });
      flaky = await startAuthProxy(registry.host, { mode: { kind: 'open' }, failFirst: 3 });
    });
    after(async () => {
      await Promise.all([basic.stop(), token.stop(), flaky.stop()]);
    });

    it('says credentials are needed (exit 4) and never prints a secret', async () => {
      await withTempDir(async (dir) => {
        await writeFile(join(dir, 'm.wasm'), fakeWasm(300));
        const none = await runCli(['registry', 'push', `${basic.host}/m:1`, join(dir, 'm.wasm'), '--plain-http'], { env: { DOCKER_CONFIG: dir } });
        assert.equal(none.code, 4);
        assert.match(none.stderr, /AIO_REGISTRY_UNAUTHORIZED: .+ requires credentials/);
        const wrong = await runCli(['registry', 'push', `${basic.host}/m:1`, join(dir, 'm.wasm'), '--plain-http', '--json'], {
          env: { DOCKER_CONFIG: dir, AIO_REGISTRY_USERNAME: 'alice', AIO_REGISTRY_PASSWORD: 'wrong-password' },
        });
        assert.equal(wrong.code, 4);
        assert.equal((JSON.parse(wrong.stdout) as { error: { code: string } }).error.code, 'AIO_REGISTRY_DENIED');
        assert.ok(!(wrong.stdout + wrong.stderr).includes('wrong-password'));
        assert.ok(!looksLikeStackTrace(none.stderr + wrong.stderr));
      });
    });

    it('pushes and pulls with Basic credentials from the environment and from --password-stdin', async () => {
      await withTempDir(async (dir) => {
        await writeFile(join(dir, 'm.wasm'), fakeWasm(300));
        const env = { DOCKER_CONFIG: dir, AIO_REGISTRY_USERNAME: 'alice', AIO_REGISTRY_PASSWORD: 's3cret-basic' };
        const pushed = await runCli(['registry', 'push', `${basic.host}/m:1`, join(dir, 'm.wasm'), '--plain-http', '--json'], { env });
        assert.equal(pushed.code, 0, pushed.stderr);
        assert.ok(!pushed.stdout.includes('s3cret'));
        const pulled = await runCli(['registry', 'pull', `${basic.host}/m:1`, '-o', join(dir, 'back.wasm'), '--plain-http'], { env });
        assert.equal(pulled.code, 0, pulled.stderr);
        assert.ok((await readFile(join(dir, 'back.wasm'))).equals(fakeWasm(300)));
      });
    });

    it('uses credentials stored in the Docker config (auths)', async () => {
      await withTempDir(async (dir) => {
        await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [basic.host]: { auth: Buffer.from('alice:s3cret-basic').toString('base64') } } }));
        const r = await runCli(['registry', 'tags', `${basic.host}/m`, '--plain-http'], {
          env: { DOCKER_CONFIG: dir, AIO_REGISTRY_USERNAME: undefined, AIO_REGISTRY_PASSWORD: undefined },
        });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^1$/m);
      });
    });

    it('follows Bearer token challenges (realm, service, scope) with relative upload Locations', async () => {
      await withTempDir(async (dir) => {
        await writeFile(join(dir, 'm.wasm'), fakeWasm(20_000, 4));
        const env = { DOCKER_CONFIG: dir, AIO_REGISTRY_USERNAME: 'bob', AIO_REGISTRY_PASSWORD: 's3cret-token' };
        const pushed = await runCli(['registry', 'push', `${token.host}/tok/m:1`, join(dir, 'm.wasm'), '--plain-http'], { env });
        assert.equal(pushed.code, 0, pushed.stderr);
        assert.ok(token.authorizations.includes('Bearer tok-abc123'), 'the registry saw the token');
        assert.ok(!(pushed.stdout + pushed.stderr).includes('tok-abc123'));
        const manifest = await skopeoManifest(`${registry.host}/tok/m:1`);
        assert.equal(manifest['artifactType'], 'application/vnd.module.wasm.content.layer.v1+wasm');
      });
    });

    it('retries 503 answers with backoff and succeeds', async () => {
      const client = new OciClient({ registry: flaky.host, plainHttp: true, credentials: anonymous, backoffMs: 5 });
      const result = await pushPlan(
        parseReference(`${flaky.host}/flaky:1`),
        moduleArtifact('f.wasm', fakeWasm(500), new Date()),
        { plainHttp: true, credentials: anonymous, backoffMs: 5 },
        client,
      );
      assert.match(result.digest, /^sha256:/);
    });
  });
});
