/**
 * The deployment targets of the thermostat example's stages, as the deploy and promote tests need them: staging on a
 * local Kubernetes API server, production on a local Resource Manager (`startTargets`), and for promotion each with
 * its own HTTPS docker-registry (`startStages`; a cluster environment refuses plain HTTP, as the service would), with
 * the environment variables that point the example's aio.yaml at them.
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

export interface Targets {
  dir: string;
  /** A copy of examples/thermostat. */
  ws: string;
  arm: ArmServer;
  kube: KubeServer;
  /** The environment `aio` runs with: fake `az`, the servers' CA. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startTargets(armToken: string): Promise<Targets> {
  useSharedCache();
  const dir = await makeTempDir();
  const ws = await copyExample('thermostat', join(dir, 'ws'));
  const arm = await startArmServer(dir, { token: armToken });
  const kube = await startKubeServer();
  const env = {
    PATH: await fakeToolsPath(dir, { azToken: armToken }),
    AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
    AIO_ARM_ENDPOINT: arm.endpoint,
    NODE_EXTRA_CA_CERTS: arm.caFile,
    KUBECONFIG: await kube.kubeconfig(dir),
    KUBE_CONTEXT: 'local',
    AZURE_SUBSCRIPTION_ID: 'sub-1234',
    AIO_ENV: undefined,
  };
  const stop = async (): Promise<void> => void (await Promise.all([arm.stop(), kube.stop()]));
  return { dir, ws, arm, kube, env, stop };
}

export interface Stages extends Targets {
  staging: LocalRegistry;
  prod: LocalRegistry;
}

export async function startStages(armToken: string): Promise<Stages> {
  const targets = await startTargets(armToken);
  const { dir, arm } = targets;
  const cert = await selfSignedCert(dir, 'registry');
  const tls = { certFile: cert.caFile, keyFile: cert.keyFile, caFile: cert.caFile };
  const [staging, prod] = await Promise.all([startRegistry({ tls }), startRegistry({ tls })]);
  const bundle = join(dir, 'ca-bundle.pem');
  await writeFile(bundle, `${await readFile(arm.caFile, 'utf8')}${await readFile(cert.caFile, 'utf8')}`);
  const env = { ...targets.env, NODE_EXTRA_CA_CERTS: bundle, STAGING_REGISTRY: staging.host, PROD_REGISTRY: prod.host, DOCKER_CONFIG: dir };
  const stop = async (): Promise<void> => void (await Promise.all([staging.stop(), prod.stop(), targets.stop()]));
  return { ...targets, staging, prod, env, stop };
}
