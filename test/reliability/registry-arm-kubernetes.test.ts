/**
 * Issue #29.1 for the deployment targets: an Azure Resource Manager endpoint or a Kubernetes API server that
 * accepts the connection and never answers ends `aio deploy graph` with a timeout error (exit 4) within the
 * request timeout and its retries, set in aio.yaml's `remote:` section, instead of hanging.
 */
import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { looksLikeStackTrace } from '../helpers/cli.js';
import { copyExample } from '../helpers/examples.js';
import { fakeToolsPath } from '../helpers/fake-tools.js';
import { runMeasured, sendLazily, startHostile, type Handler, type HostileServer } from '../helpers/hostile-registry.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { selfSignedCert } from '../helpers/tls.js';
import { startUnacceptingListener } from '../helpers/unaccepting-listener.js';

const ARM_TOKEN = 'arm-token-stall';
const MAX_SECONDS = 45;
const MAX_PEAK_MIB = 300;

describe('deployment targets that stall', () => {
  let dir: string;
  let ws: string;
  let kube: HostileServer;
  let arm: { endpoint: string; caFile: string; requests: number; stop(): Promise<void> };

  before(async () => {
    dir = await makeTempDir();
    ws = await copyExample('thermostat', join(dir, 'ws'));
    await appendFile(join(ws, 'aio.yaml'), '\nremote: { requestTimeout: 1s, retries: 1 }\n');
    kube = await startHostile(() => undefined);
    const tls = await selfSignedCert(dir, 'arm');
    const sockets = new Set<Socket>();
    let requests = 0;
    const server = createHttpsServer({ key: tls.key, cert: tls.cert }, () => void requests++);
    server.on('secureConnection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    arm = {
      endpoint: `https://127.0.0.1:${(server.address() as { port: number }).port}`,
      caFile: tls.caFile,
      get requests() {
        return requests;
      },
      stop: () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    };
  });
  after(async () => Promise.all([kube.stop(), arm.stop()]));

  it('Kubernetes: an API server that never answers is AIO_KUBE_TIMEOUT naming the server, after a retry', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster: { server: "http://${kube.host}", insecure-skip-tls-verify: true }\nusers:\n- name: ci\n  user: { token: t }\ncontexts:\n- name: local\n  context: { cluster: local, user: ci, namespace: azure-iot-operations }\ncurrent-context: local\n`,
    );
    const run = await runMeasured(['deploy', 'graph', '--env', 'staging', '--json'], {
      cwd: ws,
      env: { KUBECONFIG: kubeconfig, KUBE_CONTEXT: 'local', AIO_ENV: '' },
    });
    assert.equal(run.code, 4, run.stderr + run.stdout);
    const error = (JSON.parse(run.stdout) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'AIO_KUBE_TIMEOUT');
    assert.match(error.message, new RegExp(`http://${kube.host} did not answer for RegistryEndpoint .* within 1 s \\(2 attempts\\)`));
    assert.equal(kube.requests.length, 2);
    assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
    assert.ok(run.seconds < MAX_SECONDS, `took ${run.seconds} s`);
    assert.ok(run.peakMiB < MAX_PEAK_MIB, `peak ${run.peakMiB} MiB`);
  });

  it('ARM: a Resource Manager endpoint that never answers is AIO_ARM_TIMEOUT naming the host, after a retry', async () => {
    const env = {
      PATH: await fakeToolsPath(dir, { azToken: ARM_TOKEN }),
      AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
      AIO_ARM_ENDPOINT: arm.endpoint,
      NODE_EXTRA_CA_CERTS: arm.caFile,
      AZURE_SUBSCRIPTION_ID: 'sub-1234',
      AIO_ENV: '',
    };
    const run = await runMeasured(['deploy', 'graph', '--env', 'prod', '--json'], { cwd: ws, env });
    assert.equal(run.code, 4, run.stderr + run.stdout);
    const error = (JSON.parse(run.stdout) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'AIO_ARM_TIMEOUT');
    assert.match(error.message, new RegExp(`stalled on the read: ${arm.endpoint.replace('https://', '')} did not answer a GET within 1 s`));
    // Both resources are read (at once) before the deployment: each read gets one attempt and one retry.
    assert.equal(arm.requests, 4, error.message);
    assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
    assert.ok(run.seconds < MAX_SECONDS, `took ${run.seconds} s`);
    assert.ok(run.peakMiB < MAX_PEAK_MIB, `peak ${run.peakMiB} MiB`);
  });
});

/**
 * The transport under the Azure SDK and the Kubernetes client: a connection that never opens ends at the connect
 * timeout, an answer that stops part-way at the idle timeout (well before the request timeout), and an answer that
 * floods is refused at 4 MiB, with the memory it cost bounded.
 */
describe('deployment targets that stall or flood the answer', () => {
  let dir: string;
  let ws: string;
  let kubeconfigFor: (host: string) => Promise<string>;
  let tls: { key: Buffer; cert: Buffer; caFile: string };
  const servers: HostileServer[] = [];

  before(async () => {
    dir = await makeTempDir();
    ws = await copyExample('thermostat', join(dir, 'ws'));
    // The request timeout is long: a case that ends sooner shows the idle timeout or the size cap at work.
    await appendFile(join(ws, 'aio.yaml'), '\nremote: { connectTimeout: 1s, idleTimeout: 1s, requestTimeout: 40s, retries: 0 }\n');
    tls = await selfSignedCert(dir, 'arm-hostile');
    let n = 0;
    kubeconfigFor = async (host) => {
      const file = join(dir, `kubeconfig-${++n}`);
      await writeFile(
        file,
        `apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster: { server: "http://${host}", insecure-skip-tls-verify: true }\nusers:\n- name: ci\n  user: { token: t }\ncontexts:\n- name: local\n  context: { cluster: local, user: ci, namespace: azure-iot-operations }\ncurrent-context: local\n`,
      );
      return file;
    };
  });
  after(async () => Promise.all(servers.map((s) => s.stop())));

  /** A JSON answer whose body starts and then either stops (`stall`) or never ends (`flood`). */
  const misbehave =
    (how: 'stall' | 'flood'): Handler =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (how === 'stall') return void res.write('{"kind":"');
      sendLazily(res, Buffer.alloc(64 * 1024, 'a'), 1024 * 1024 * 1024);
    };

  async function kube(host: string): Promise<{ code: string; message: string; run: Awaited<ReturnType<typeof runMeasured>> }> {
    const run = await runMeasured(['deploy', 'graph', '--env', 'staging', '--json'], {
      cwd: ws,
      env: { KUBECONFIG: await kubeconfigFor(host), KUBE_CONTEXT: 'local', AIO_ENV: '' },
    });
    return { ...(JSON.parse(run.stdout) as { error: { code: string; message: string } }).error, run };
  }

  async function arm(endpoint: string): Promise<{ code: string; message: string; run: Awaited<ReturnType<typeof runMeasured>> }> {
    const env = {
      PATH: await fakeToolsPath(dir, { azToken: ARM_TOKEN }),
      AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
      AIO_ARM_ENDPOINT: endpoint,
      NODE_EXTRA_CA_CERTS: tls.caFile,
      AZURE_SUBSCRIPTION_ID: 'sub-1234',
      AIO_ENV: '',
    };
    const run = await runMeasured(['deploy', 'graph', '--env', 'prod', '--json'], { cwd: ws, env });
    return { ...(JSON.parse(run.stdout) as { error: { code: string; message: string } }).error, run };
  }

  async function hostile(handler: Handler, https = false): Promise<HostileServer> {
    const server = await startHostile(handler, https ? tls : undefined);
    servers.push(server);
    return server;
  }

  function assertBounded(run: Awaited<ReturnType<typeof runMeasured>>, seconds = 20): void {
    assert.equal(run.code, 4, run.stderr + run.stdout);
    assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
    assert.ok(run.seconds < seconds, `took ${run.seconds} s`);
    assert.ok(run.peakMiB < MAX_PEAK_MIB, `peak ${run.peakMiB} MiB`);
  }

  it('Kubernetes: an answer that stops part-way is AIO_KUBE_TIMEOUT at the idle timeout', async () => {
    const server = await hostile(misbehave('stall'));
    const { code, message, run } = await kube(server.host);
    assertBounded(run);
    assert.equal(code, 'AIO_KUBE_TIMEOUT', message);
    assert.match(message, new RegExp(`stalled on RegistryEndpoint .*: ${server.host} sent nothing for 1 s`));
  });

  it('Kubernetes: an answer that never ends is AIO_KUBE_TOO_LARGE at 4 MiB', async () => {
    const server = await hostile(misbehave('flood'));
    const { code, message, run } = await kube(server.host);
    assertBounded(run);
    assert.equal(code, 'AIO_KUBE_TOO_LARGE', message);
    assert.match(message, new RegExp(`${server.host} sent more than 4.0 MiB, over the limit of 4.0 MiB`));
    assert.equal(server.requests.length, 1, 'a flood is not asked for again');
  });

  it('Kubernetes: an API server whose connections never open is AIO_KUBE_UNREACHABLE at the connect timeout', async () => {
    const listener = await startUnacceptingListener();
    try {
      const { code, message, run } = await kube(listener.host);
      assertBounded(run);
      assert.equal(code, 'AIO_KUBE_UNREACHABLE', message);
      assert.match(message, new RegExp(`no connection to ${listener.host} within 1 s`));
    } finally {
      listener.stop();
    }
  });

  it('ARM: an answer that stops part-way is AIO_ARM_TIMEOUT at the idle timeout', async () => {
    const server = await hostile(misbehave('stall'), true);
    const { code, message, run } = await arm(`https://${server.host}`);
    assertBounded(run);
    assert.equal(code, 'AIO_ARM_TIMEOUT', message);
    assert.match(message, new RegExp(`on the read: ${server.host} sent nothing for 1 s`));
  });

  it('ARM: an answer that never ends is AIO_ARM_TOO_LARGE at 4 MiB', async () => {
    const server = await hostile(misbehave('flood'), true);
    const { code, message, run } = await arm(`https://${server.host}`);
    assertBounded(run);
    assert.equal(code, 'AIO_ARM_TOO_LARGE', message);
    assert.match(message, new RegExp(`${server.host} sent more than 4.0 MiB, over the limit of 4.0 MiB`));
  });

  it('ARM: an endpoint whose connections never open is AIO_ARM_UNREACHABLE at the connect timeout', async () => {
    const listener = await startUnacceptingListener();
    try {
      const { code, message, run } = await arm(`https://${listener.host}`);
      assertBounded(run);
      assert.equal(code, 'AIO_ARM_UNREACHABLE', message);
      assert.match(message, new RegExp(`no connection to ${listener.host} within 1 s`));
    } finally {
      listener.stop();
    }
  });
});
