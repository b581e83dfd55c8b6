/**
 * Issue #29.2 and #30.9: credentials stay with the host they belong to. A registry on loopback that wants Basic
 * credentials redirects its blobs to a "blob store" on another port; the blob store must never see them, and its
 * errors are reported as its own. The stored credentials file is readable by its owner only.
 */
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { looksLikeStackTrace } from '../helpers/cli.js';
import { moduleManifest, runMeasured, sendManifest, sha256, startHostile, type HostileServer } from '../helpers/hostile-registry.js';
import { withTempDir } from '../helpers/temp-dir.js';

const WASM = Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]), Buffer.from('a module')]);
const LAYER = { digest: sha256(WASM), size: WASM.length, title: 'module.wasm' };
const USER = 'robot';
const PASSWORD = 'hunter2-secret';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const FAST = ['--plain-http', '--idle-timeout', '2s', '--retries', '0'];

const servers: HostileServer[] = [];
after(async () => Promise.all(servers.map((s) => s.stop())));

/** A blob store that serves the module (or answers `status`), and a registry that wants Basic and redirects blobs to it. */
async function redirecting(status = 200): Promise<{ registry: HostileServer; store: HostileServer }> {
  const store = await startHostile((_req, res) => {
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'text/plain' });
      return void res.end('BlobNotFound: the blob is gone from this store');
    }
    res.writeHead(200, { 'content-length': String(WASM.length) });
    res.end(WASM);
  });
  const registry = await startHostile((req, res) => {
    if (req.headers.authorization !== BASIC) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="hostile"' });
      return void res.end();
    }
    if (req.url!.includes('/manifests/')) return sendManifest(res, moduleManifest(LAYER));
    res.writeHead(307, { location: `http://${store.host}/storage/blob?sig=abc` });
    res.end();
  });
  servers.push(store, registry);
  return { registry, store };
}

const credentials = { AIO_REGISTRY_USERNAME: USER, AIO_REGISTRY_PASSWORD: PASSWORD };

describe('credentials across redirects', () => {
  it('a blob redirected to another port is fetched without the Authorization header; the registry itself gets it', async () => {
    const { registry, store } = await redirecting();
    await withTempDir(async (dir) => {
      const run = await runMeasured(['registry', 'pull', `${registry.host}/mod:1.0.0`, '-o', dir, ...FAST], { env: { ...credentials, DOCKER_CONFIG: dir } });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(await readFile(join(dir, 'module.wasm')), WASM);
      assert.equal(store.requests.length, 1);
      assert.equal(store.requests[0]!.headers.authorization, undefined, 'the blob store must not see the registry credentials');
      assert.ok(
        registry.requests.some((r) => r.headers.authorization === BASIC),
        'the registry did get them',
      );
      assert.ok(!run.stderr.includes(PASSWORD) && !run.stdout.includes(PASSWORD));
    });
  });

  it("a redirect target's 404 is reported as the blob store's, not the registry's", async () => {
    const { registry, store } = await redirecting(404);
    await withTempDir(async (dir) => {
      const run = await runMeasured(['registry', 'pull', `${registry.host}/mod:1.0.0`, '-o', dir, ...FAST], { env: { ...credentials, DOCKER_CONFIG: dir } });
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, /AIO_REGISTRY_NOT_FOUND/);
      assert.match(
        run.stderr,
        new RegExp(`GET ${store.host}/storage/blob \\(where ${registry.host} redirected /v2/mod/blobs/sha256:[0-9a-f]{64}\\) failed: 404`),
      );
      assert.match(run.stderr, new RegExp(`handed the request to ${store.host}`));
      assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
    });
  });

  it('a redirect to something other than HTTP (file:, data:) is a protocol error, not followed', async () => {
    const registry = await startHostile((req, res) => {
      if (req.url!.includes('/manifests/')) return sendManifest(res, moduleManifest(LAYER));
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    });
    servers.push(registry);
    await withTempDir(async (dir) => {
      const run = await runMeasured(['registry', 'pull', `${registry.host}/mod:1.0.0`, '-o', dir, ...FAST], { env: { DOCKER_CONFIG: dir } });
      assert.equal(run.code, 4, run.stderr);
      assert.match(
        run.stderr,
        /AIO_REGISTRY_PROTOCOL: .* redirected GET \/v2\/mod\/blobs\/sha256:[0-9a-f]{64} to "file:\/\/\/etc\/passwd", which is not an HTTP URL/,
      );
    });
  });

  it('aio registry login stores the credentials in a file only its owner can read, even over a world-readable one', async () => {
    const { registry } = await redirecting();
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'config.json'), '{"auths":{}}\n', { mode: 0o644 });
      const run = await runMeasured(['registry', 'login', registry.host, '-u', USER, ...FAST], {
        env: { DOCKER_CONFIG: dir, AIO_REGISTRY_PASSWORD: PASSWORD },
      });
      assert.equal(run.code, 0, run.stderr);
      assert.equal((await stat(join(dir, 'config.json'))).mode & 0o777, 0o600);
      assert.ok(!run.stderr.includes(PASSWORD) && !run.stdout.includes(PASSWORD));
    });
  });
});
