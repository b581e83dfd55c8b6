/**
 * Issue #29.1 for uploads: a registry that takes a blob upload and then stops reading it, or takes it all and never
 * answers, ends `aio registry push` with AIO_REGISTRY_TIMEOUT naming the host; one that reads slowly but steadily
 * gets the whole blob. Each case runs the real `aio registry push` against a hostile server on loopback.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { looksLikeStackTrace } from '../helpers/cli.js';
import { runMeasured, sha256, startHostile, type HostileServer } from '../helpers/hostile-registry.js';
import { withTempDir } from '../helpers/temp-dir.js';

const MiB = 1024 * 1024;
/** A module of `size` bytes: the wasm magic and version, then filler (the registry under test never looks inside). */
const module = (size: number): Buffer => Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]), Buffer.alloc(size - 8, 7)]);
/** 12 MiB goes up as an 8 MiB PATCH (the client's chunk size) and a 4 MiB PUT. */
const LARGE = module(12 * MiB);
const SMALL = module(2 * MiB);
const limits = (requestTimeout: string): string[] => ['--plain-http', '--idle-timeout', '3s', '--request-timeout', requestTimeout, '--retries', '1'];
const FAST = limits('2s');
/** Generous for a loaded machine; without the bounds these runs hang until killed. */
const MAX_SECONDS = 45;

const servers: HostileServer[] = [];
after(async () => Promise.all(servers.map((s) => s.stop())));

/**
 * A registry that answers the small steps of a push (HEAD: absent, POST: a session, the config blob, the manifest)
 * and hands every upload request over 1 KiB to `upload`.
 */
async function registry(upload: (req: IncomingMessage, res: ServerResponse) => void): Promise<HostileServer> {
  const server = await startHostile((req, res) => {
    if (req.method === 'HEAD') return void res.writeHead(404).end();
    if (req.method === 'POST') return void res.writeHead(202, { location: '/v2/m/blobs/uploads/session' }).end();
    if (Number(req.headers['content-length']) > 1024) return upload(req, res);
    req.resume();
    req.on('end', () => res.writeHead(req.method === 'PUT' ? 201 : 202, { location: '/v2/m/blobs/uploads/session' }).end());
  });
  servers.push(server);
  return server;
}

async function push(server: HostileServer, bytes: Buffer, flags = FAST): Promise<Awaited<ReturnType<typeof runMeasured>>> {
  return withTempDir(async (dir) => {
    await writeFile(join(dir, 'module.wasm'), bytes);
    return runMeasured(['registry', 'push', `${server.host}/m:1.0.0`, join(dir, 'module.wasm'), ...flags], { timeoutMs: 90_000 });
  });
}

function assertTimedOut(run: Awaited<ReturnType<typeof runMeasured>>, message: RegExp): void {
  assert.equal(run.code, 4, run.stderr);
  assert.match(run.stderr, /AIO_REGISTRY_TIMEOUT/);
  assert.match(run.stderr, message);
  assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
  assert.ok(run.seconds < MAX_SECONDS, `took ${run.seconds} s`);
}

describe('registries that stall an upload', () => {
  it('a registry that stops reading the upload part-way: AIO_REGISTRY_TIMEOUT naming the host and how far it got', async () => {
    const server = await registry((req) => {
      // Read nothing: the socket's buffers stay small, fill, and the upload can make no progress.
      req.socket.pause();
    });
    const run = await push(server, LARGE);
    assertTimedOut(run, new RegExp(`${server.host} stalled: took no bytes of upload of blob ${sha256(LARGE)} for 3 s after [\\d.]+ MiB of 8\\.0 MiB`));
    assert.equal(server.requests.filter((r) => r.method === 'PATCH').length, 1, 'a PATCH is not repeated');
  });

  it('a registry that reads slowly but steadily gets the whole blob, though the upload takes longer than the idle timeout', async () => {
    const received = createHash('sha256');
    let bytes = 0;
    const started = Date.now();
    const server = await registry((req, res) => {
      // About 2 MiB/s: each 8 MiB PATCH takes some 4 s, longer than the 3 s idle timeout, yet bytes move all along.
      req.on('data', (chunk: Buffer) => {
        received.update(chunk);
        bytes += chunk.length;
        req.pause();
        setTimeout(() => req.resume(), 30);
      });
      req.on('end', () => res.writeHead(req.method === 'PUT' ? 201 : 202, { location: '/v2/m/blobs/uploads/session' }).end());
    });
    // The answer's clock starts when aio has handed the last byte to the network, whose buffers the slow reader still
    // has to empty: the request timeout is raised for that, the idle timeout is not.
    const run = await push(server, LARGE, limits('15s'));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(bytes, LARGE.length);
    assert.equal(`sha256:${received.digest('hex')}`, sha256(LARGE));
    assert.ok(run.seconds > 3, `the upload took ${run.seconds} s, not longer than the idle timeout: the case tests nothing`);
    assert.ok((Date.now() - started) / 1000 < MAX_SECONDS);
  });

  it('a registry that takes the whole upload and then only sends "102 Processing": AIO_REGISTRY_TIMEOUT at the request timeout', async () => {
    let uploads = 0;
    const server = await registry((req, res) => {
      uploads++;
      req.resume();
      // Each interim answer resets an idle timer; only a bound on the whole answer ends this.
      req.on('end', () => {
        const timer = setInterval(() => res.writeProcessing(), 300);
        res.on('close', () => clearInterval(timer));
      });
    });
    const run = await push(server, SMALL);
    assertTimedOut(run, new RegExp(`${server.host} did not answer upload of blob ${sha256(SMALL)} within 2 s of aio sending all 2\\.0 MiB \\(2 attempts\\)`));
    assert.equal(uploads, 2, 'the PUT (idempotent) is tried twice');
  });
});
