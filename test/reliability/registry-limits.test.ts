/**
 * Issue #29.3, #30.7 and #30.9: what a registry may make `aio` hold. Oversize manifests and tokens are refused
 * before they are read, layers over --max-blob-size or the free disk before the download, and blobs stream to disk
 * (a 2 GiB body without Content-Length, produced lazily, costs neither memory nor a crash).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { readdir, readFile, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { looksLikeStackTrace } from '../helpers/cli.js';
import {
  moduleManifest,
  repeatedDigest,
  runMeasured,
  sendLazily,
  sendManifest,
  sha256,
  startHostile,
  type HostileServer,
  type MeasuredRun,
} from '../helpers/hostile-registry.js';
import { withTempDir } from '../helpers/temp-dir.js';

const FAST = ['--plain-http', '--idle-timeout', '2s', '--request-timeout', '5s', '--retries', '0'];
const MiB = 1024 * 1024;
/** `aio` itself (Node, oclif, the registry client) peaks near 100 MiB; anything buffered shows far above this. */
const MAX_PEAK_MIB = 250;
const MAX_SECONDS = 60;
/** A wasm header and then a pattern, 64 KiB, repeated to make a large module. */
const BLOCK = Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]), Buffer.alloc(64 * 1024 - 8, 0x5a)]);

const servers: Array<{ stop(): Promise<void> }> = [];

/** A raw TCP "registry": a request with headers over 16 KiB gets a reset; any other gets a Bearer challenge. */
async function resettingRegistry(tokenHost: string): Promise<{ host: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    socket.on('data', (data) => {
      head += data.toString('latin1');
      if (head.length > 16 * 1024 && !head.includes('\r\n\r\n')) return void socket.resetAndDestroy();
      if (!head.includes('\r\n\r\n')) return;
      head = '';
      socket.write(`HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer realm="http://${tokenHost}/token",service="hostile"\r\ncontent-length: 0\r\n\r\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const registry = {
    host: `127.0.0.1:${(server.address() as { port: number }).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(registry);
  return registry;
}

/** The sha256 of a file, read as a stream (the test process must not hold a large file either). */
async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
after(async () => Promise.all(servers.map((s) => s.stop())));

async function hostile(handler: Parameters<typeof startHostile>[0]): Promise<HostileServer> {
  const server = await startHostile(handler);
  servers.push(server);
  return server;
}

function assertRefused(run: MeasuredRun, code: string, message: RegExp): void {
  assert.equal(run.code, 4, run.stderr);
  assert.match(run.stderr, new RegExp(code), run.stderr);
  assert.match(run.stderr, message, run.stderr);
  assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
  assert.ok(run.seconds < MAX_SECONDS, `took ${run.seconds} s`);
  assert.ok(run.peakMiB < MAX_PEAK_MIB, `peak ${run.peakMiB} MiB`);
}

describe('what a registry may make aio hold', () => {
  it('a manifest declaring 1 GiB is refused at its headers, before a byte of it is read', async () => {
    const server = await hostile((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': String(1024 * MiB) });
      sendLazily(res, Buffer.alloc(64 * 1024, 0x20), 1024 * MiB);
    });
    await withTempDir(async (dir) => {
      const run = await runMeasured(['registry', 'pull', `${server.host}/big:1.0.0`, '-o', dir, ...FAST]);
      assertRefused(
        run,
        'AIO_REGISTRY_TOO_LARGE',
        new RegExp(`manifest ${server.host}/big:1.0.0: ${server.host} declares 1024.0 MiB, over the limit of 4.0 MiB`),
      );
    });
  });

  it('a manifest without Content-Length that never ends is refused at 4 MiB', async () => {
    const server = await hostile((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
      sendLazily(res, Buffer.alloc(64 * 1024, 0x20), 2048 * MiB);
    });
    await withTempDir(async (dir) => {
      const run = await runMeasured(['registry', 'pull', `${server.host}/endless:1.0.0`, '-o', dir, ...FAST]);
      assertRefused(run, 'AIO_REGISTRY_TOO_LARGE', /sent more than 4\.0 MiB/);
    });
  });

  it('a token service answering a 64 MiB token is refused at 4 MiB', async () => {
    const token = await hostile((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"token":"');
      sendLazily(res, Buffer.alloc(64 * 1024, 0x61), 64 * MiB);
    });
    const server = await hostile((_req, res) => {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${token.host}/token",service="hostile"` });
      res.end();
    });
    await withTempDir(async (dir) => {
      const run = await runMeasured(['registry', 'pull', `${server.host}/private:1.0.0`, '-o', dir, ...FAST]);
      assertRefused(run, 'AIO_REGISTRY_TOO_LARGE', new RegExp(`a token from the token service of ${server.host}: ${token.host} sent more than 4\\.0 MiB`));
    });
  });

  it('a registry that resets the connection on a huge bearer token: the connection was lost (with the header size), not "cannot reach"', async () => {
    const big = 'x'.repeat(200 * 1024);
    const token = await hostile((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: big }));
    });
    // A registry that resets (TCP RST) a connection whose request headers pass 16 KiB, as some proxies do.
    const server = await resettingRegistry(token.host);
    await withTempDir(async (dir) => {
      const run = await runMeasured(['registry', 'pull', `${server.host}/private:1.0.0`, '-o', dir, ...FAST]);
      assertRefused(run, 'AIO_REGISTRY_CONNECTION_LOST', new RegExp(`${server.host} closed the connection during manifest`));
      assert.match(run.stderr, /the request carried 200\.\d KiB of headers/);
      assert.doesNotMatch(run.stderr, /cannot reach/);
    });
  });

  it('a layer over --max-blob-size is refused before the download: the blob is never requested', async () => {
    const server = await hostile((req, res) => {
      if (req.url!.includes('/manifests/')) return sendManifest(res, moduleManifest({ digest: `sha256:${'ab'.repeat(32)}`, size: 3 * 1024 * MiB }));
      res.writeHead(500);
      res.end();
    });
    await withTempDir(async (dir) => {
      const run = await runMeasured(['registry', 'pull', `${server.host}/huge:1.0.0`, '-o', dir, '--max-blob-size', '1GiB', ...FAST]);
      assertRefused(run, 'AIO_REGISTRY_TOO_LARGE', /is 3072\.0 MiB, over the limit of 1024\.0 MiB; nothing was downloaded/);
      assert.equal(server.requests.filter((r) => r.url.includes('/blobs/')).length, 0);
    });
  });

  it('a layer larger than the free disk is refused before the download', async () => {
    await withTempDir(async (dir) => {
      const fs = await statfs(dir);
      const size = fs.bavail * fs.bsize + 1024 * MiB;
      const server = await hostile((req, res) => {
        if (req.url!.includes('/manifests/')) return sendManifest(res, moduleManifest({ digest: `sha256:${'cd'.repeat(32)}`, size }));
        res.writeHead(500);
        res.end();
      });
      const run = await runMeasured([
        'registry',
        'pull',
        `${server.host}/disk:1.0.0`,
        '-o',
        dir,
        '--max-blob-size',
        `${Math.ceil(size / MiB) + 1}MiB`,
        ...FAST,
      ]);
      assertRefused(run, 'AIO_REGISTRY_NO_SPACE', new RegExp(`has [\\d.]+ MiB free; nothing was downloaded`));
      assert.equal(server.requests.filter((r) => r.url.includes('/blobs/')).length, 0);
    });
  });

  it('a 2 GiB blob body without Content-Length, for a layer that declares 1 MiB, is cut off at 1 MiB: no buffering, no crash, nothing written', async () => {
    const server = await hostile((req, res) => {
      if (req.url!.includes('/manifests/')) return sendManifest(res, moduleManifest({ digest: repeatedDigest(BLOCK, MiB), size: MiB, title: 'module.wasm' }));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      sendLazily(res, BLOCK, 2048 * MiB);
    });
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'module.wasm'), 'the previous, good module');
      const run = await runMeasured(['registry', 'pull', `${server.host}/flood:1.0.0`, '-o', dir, ...FAST]);
      assertRefused(run, 'AIO_REGISTRY_DIGEST_MISMATCH', /more than the 1048576 bytes its manifest declares arrived; nothing was written/);
      assert.equal(await readFile(join(dir, 'module.wasm'), 'utf8'), 'the previous, good module');
      assert.deepEqual(await readdir(dir), ['module.wasm']);
    });
  });

  it('a pull whose destination cannot be written is AIO_REGISTRY_WRITE_FAILED naming the path, not an internal error', async () => {
    const wasm = BLOCK.subarray(0, 100);
    const server = await hostile((req, res) => {
      if (req.url!.includes('/manifests/')) return sendManifest(res, moduleManifest({ digest: sha256(wasm), size: wasm.length, title: 'module.wasm' }));
      res.writeHead(200, { 'content-length': String(wasm.length) });
      res.end(wasm);
    });
    await withTempDir(async (dir) => {
      const target = join(dir, 'missing', 'module.wasm');
      const run = await runMeasured(['registry', 'pull', `${server.host}/mod:1.0.0`, '-o', target, ...FAST]);
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, new RegExp(`AIO_REGISTRY_WRITE_FAILED: cannot write ${target}: ENOENT`));
      assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
    });
  });

  it('aio registry copy moves a 512 MiB layer through disk, not memory: the destination gets every byte, peak memory stays far below', async () => {
    const size = 512 * MiB;
    const digest = repeatedDigest(BLOCK, size);
    const manifest = moduleManifest({ digest, size, title: 'large.wasm' });
    const source = await hostile((req, res) => {
      if (req.url!.includes('/manifests/')) return sendManifest(res, manifest);
      if (req.url!.endsWith(sha256(Buffer.from('{}')))) return void res.writeHead(200, { 'content-length': '2' }).end('{}');
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      sendLazily(res, BLOCK, size);
    });
    // The destination hashes what is uploaded to it, chunk after chunk, and checks it at the final PUT.
    const uploads = new Map<string, { hash: ReturnType<typeof createHash>; bytes: number }>();
    const stored = new Map<string, number>();
    const destination = await hostile((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (req.method === 'HEAD') return void res.writeHead(404).end();
      if (req.method === 'POST') {
        const id = String(uploads.size + 1);
        uploads.set(id, { hash: createHash('sha256'), bytes: 0 });
        return void res.writeHead(202, { location: `/v2/copy/blobs/uploads/${id}` }).end();
      }
      const upload = uploads.get(url.pathname.split('/').pop()!);
      req.on('data', (chunk: Buffer) => {
        upload?.hash.update(chunk);
        if (upload !== undefined) upload.bytes += chunk.length;
      });
      req.on('end', () => {
        if (req.method === 'PATCH') return void res.writeHead(202, { location: url.pathname }).end();
        if (url.pathname.includes('/manifests/')) return void res.writeHead(201).end();
        const got = `sha256:${upload!.hash.digest('hex')}`;
        if (got !== url.searchParams.get('digest')) return void res.writeHead(400).end('digest mismatch');
        stored.set(got, upload!.bytes);
        res.writeHead(201).end();
      });
    });
    const run = await runMeasured(['registry', 'copy', `${source.host}/large:1.0.0`, `${destination.host}/copy:1.0.0`, ...FAST]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(stored.get(digest), size);
    assert.ok(run.peakMiB < MAX_PEAK_MIB, `peak ${run.peakMiB} MiB for a ${size / MiB} MiB layer`);
  });

  it('a 512 MiB blob without Content-Length streams to disk: pulled whole and checked, with peak memory far below its size', async () => {
    const size = 512 * MiB;
    const digest = repeatedDigest(BLOCK, size);
    const server = await hostile((req, res) => {
      if (req.url!.includes('/manifests/')) return sendManifest(res, moduleManifest({ digest, size, title: 'large.wasm' }));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      sendLazily(res, BLOCK, size);
    });
    await withTempDir(async (dir) => {
      const run = await runMeasured(['registry', 'pull', `${server.host}/large:1.0.0`, '-o', dir, ...FAST]);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.peakMiB < MAX_PEAK_MIB, `peak ${run.peakMiB} MiB for a ${size / MiB} MiB blob`);
      assert.match(run.stdout, /\(536870912 bytes\)/);
      assert.match(run.stderr, /large\.wasm: 512\.0 MiB transferred in [\d.]+ s \([\d.]+ MiB\/s\)/);
      assert.equal(await fileDigest(join(dir, 'large.wasm')), digest);
    });
  });
});
