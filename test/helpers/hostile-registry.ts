/**
 * A small HTTP server on 127.0.0.1 that poses as an OCI registry and misbehaves on purpose (stalls, dribbles,
 * floods, redirects, lies about digests), and a CLI runner that measures the peak memory of `aio` under GNU time.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { SHARED_TEST_CACHE } from './components.js';
import { repoRoot } from './paths.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HostileServer {
  /** `127.0.0.1:<port>` */
  host: string;
  port: number;
  /** Every request as it arrived: method, path and headers. */
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }>;
  stop(): Promise<void>;
}

/**
 * Starts a server whose every request goes to `handler`, over HTTPS when given a key and certificate; stopping it
 * destroys the connections it still holds.
 */
export async function startHostile(handler: Handler, tls?: { key: Buffer; cert: Buffer }): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const requests: HostileServer['requests'] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  };
  const server: Server = tls === undefined ? createServer(listener) : createHttpsServer(tls, listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    port,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export interface Layer {
  digest: string;
  size: number;
  title?: string;
}

/** A module artifact's manifest (as `aio registry push` makes them) around one layer, whatever the layer claims. */
export function moduleManifest(layer: Layer): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.module.wasm.content.layer.v1+wasm',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(Buffer.from('{}')), size: 2 },
      layers: [
        {
          mediaType: 'application/wasm',
          digest: layer.digest,
          size: layer.size,
          ...(layer.title === undefined ? {} : { annotations: { 'org.opencontainers.image.title': layer.title } }),
        },
      ],
    }),
  );
}

/** Answers a manifest GET the way a registry does: content type, digest header, length. */
export function sendManifest(res: ServerResponse, manifest: Buffer): void {
  res.writeHead(200, {
    'content-type': 'application/vnd.oci.image.manifest.v1+json',
    'docker-content-digest': sha256(manifest),
    'content-length': String(manifest.length),
  });
  res.end(manifest);
}

/** Writes `total` bytes of `block` repeated, as the socket drains, so a huge body costs the server nothing. */
export function sendLazily(res: ServerResponse, block: Buffer, total: number): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      const chunk = block.subarray(0, Math.min(block.length, total - sent));
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('error', () => undefined);
  pump();
}

/** The digest of `block` repeated up to `total` bytes, computed in streaming fashion. */
export function repeatedDigest(block: Buffer, total: number): string {
  const hash = createHash('sha256');
  for (let done = 0; done < total; done += block.length) hash.update(block.subarray(0, Math.min(block.length, total - done)));
  return `sha256:${hash.digest('hex')}`;
}

export interface MeasuredRun {
  code: number;
  stdout: string;
  stderr: string;
  peakMiB: number;
  seconds: number;
}

/**
 * Runs the real `aio` under GNU time: exit status, output, peak resident memory and wall time. A run still going
 * after `timeoutMs` is killed with its whole process group (a hang is a failure to report, not a test that never
 * ends), and reported with exit status 137.
 */
export function runMeasured(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<MeasuredRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'peak-kib=%M', process.execPath, join(repoRoot, 'bin', 'run.js'), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { AIO_CACHE_DIR: SHARED_TEST_CACHE, ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      if (killed) return resolve({ code: 137, stdout, stderr: `${stderr}\n(killed after ${seconds} s)`, peakMiB: Number.NaN, seconds });
      const peak = /peak-kib=(\d+)/.exec(stderr);
      if (!peak) return reject(new Error(`no peak memory reported: ${stderr}`));
      resolve({
        code: code ?? 1,
        stdout,
        stderr: stderr.replace(/Command (exited with non-zero status|terminated by signal) \d+\n/, '').replace(/.*peak-kib=\d+\n?/, ''),
        peakMiB: Number(peak[1]) / 1024,
        seconds,
      });
    });
  });
}
