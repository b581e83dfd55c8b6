/**
 * Two stages of the thermostat example, as `aio promote` tests need them: staging on a local Kubernetes API server
 * and production on a local Resource Manager, each with its own HTTPS docker-registry (a cluster environment refuses
 * plain HTTP, as the service would), and the environment variables that point the example's aio.yaml at them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startArmServer, type ArmServer } from './arm-server.js';
import { useSharedCache } from './components.js';
import { copyExample } from './examples.js';
import { fakeToolsPath } from './fake-tools.js';
import { startKubeServer, type KubeServer } from './kube-server.js';
import { startRegistry, type LocalRegistry } from './registry.js';
import { makeTempDir } from './temp-dir.js';
import { selfSignedCert } from './tls.js';

export interface Stages {
  dir: string;
  /** A copy of examples/thermostat. */
  ws: string;
  staging: LocalRegistry;
  prod: LocalRegistry;
  arm: ArmServer;
  kube: KubeServer;
  /** The environment `aio` runs with: fake `az`, the servers' CAs, the registries' hosts. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startStages(armToken: string): Promise<Stages> {
  useSharedCache();
  const dir = await makeTempDir();
  const ws = await copyExample('thermostat', join(dir, 'ws'));
  const cert = await selfSignedCert(dir, 'registry');
  const tls = { certFile: cert.caFile, keyFile: cert.keyFile, caFile: cert.caFile };
  const [staging, prod] = await Promise.all([startRegistry({ tls }), startRegistry({ tls })]);
  const arm = await startArmServer(dir, { token: armToken });
  const kube = await startKubeServer();
  const bundle = join(dir, 'ca-bundle.pem');
  await writeFile(bundle, `${await readFile(arm.caFile, 'utf8')}${await readFile(cert.caFile, 'utf8')}`);
  const env = {
    PATH: await fakeToolsPath(dir, { azToken: armToken }),
    AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
    AIO_ARM_ENDPOINT: arm.endpoint,
    NODE_EXTRA_CA_CERTS: bundle,
    KUBECONFIG: await kube.kubeconfig(dir),
    KUBE_CONTEXT: 'local',
    AZURE_SUBSCRIPTION_ID: 'sub-1234',
    STAGING_REGISTRY: staging.host,
    PROD_REGISTRY: prod.host,
    DOCKER_CONFIG: dir,
    AIO_ENV: undefined,
  };
  const stop = async (): Promise<void> => void (await Promise.all([staging.stop(), prod.stop(), arm.stop(), kube.stop()]));
  return { dir, ws, staging, prod, arm, kube, env, stop };
}
