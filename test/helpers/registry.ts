import { createHash } from 'node:crypto';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  storage: string;
  stop(): Promise<void>;
}

/** The manifest as an independent OCI client (skopeo) reads it back. */
export async function skopeoManifest(reference: string): Promise<Record<string, any>> {
  const { stdout } = await promisify(execFile)('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reference}`]);
  return JSON.parse(stdout) as Record<string, any>;
}

/** The digest of the manifest bytes an independent OCI client (skopeo) fetches for the reference. */
export async function skopeoDigest(reference: string): Promise<string> {
  // `inspect --format {{.Digest}}` refuses non-image artifacts; the raw manifest's sha256 is the digest by definition.
  const { stdout } = await promisify(execFile)('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reference}`], { encoding: 'buffer' });
  return `sha256:${createHash('sha256').update(stdout).digest('hex')}`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts Debian's `docker-registry` (CNCF distribution) on a free loopback port with its own storage; over HTTPS
 * with `tls` (a cluster environment refuses plain HTTP), clients then trust `tls.caFile`.
 */
export async function startRegistry(options: { tls?: { certFile: string; keyFile: string; caFile: string } } = {}): Promise<LocalRegistry> {
  // docker-registry cannot report a port it chose, so it gets a free one; another process may take that port in
  // between, and then it is started again on a new one (the race is retried, not left to chance).
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRegistryOnce(options);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt === 5) throw error;
    }
  }
}

class PortTaken extends Error {}

async function startRegistryOnce(options: { tls?: { certFile: string; keyFile: string; caFile: string } }): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'aio-registry-'));
  const port = await freePort();
  const storage = join(dir, 'data');
  const config = join(dir, 'config.yml');
  const tls = options.tls === undefined ? '' : `  tls:\n    certificate: ${options.tls.certFile}\n    key: ${options.tls.keyFile}\n`;
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n  secret: aio-test-secret\n${tls}`,
  );
  const ca = options.tls === undefined ? undefined : await readFile(options.tls.caFile);
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await rm(dir, { recursive: true, force: true });
      if (/address already in use/i.test(stderr)) throw new PortTaken(stderr);
      throw new Error(`docker-registry exited: ${stderr}`);
    }
    const ok = await ping(host, ca);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`docker-registry did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    storage,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** GET /v2/ answered 200: over HTTP, or over HTTPS trusting `ca`. */
function ping(host: string, ca: Buffer | undefined): Promise<boolean> {
  if (ca === undefined)
    return fetch(`http://${host}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
  return new Promise((resolve) => {
    get(`https://${host}/v2/`, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}
