import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ArmServer } from '../helpers/arm-server.js';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { copyExample } from '../helpers/examples.js';
import { fakeToolsPath } from '../helpers/fake-tools.js';
import { startKubeServer, type KubeServer } from '../helpers/kube-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTargets, type Targets } from '../helpers/stages.js';

const ARM_TOKEN = 'arm-token-7f3c';

interface DeployJson {
  state: string;
  changes?: Array<{ resourceId: string; changeType: string }>;
  objects?: Array<{ kind: string; changed: boolean }>;
  error?: { code: string; message: string };
}

describe('aio deploy graph, end to end against local ARM and Kubernetes servers', () => {
  let dir: string;
  let ws: string;
  let arm: ArmServer;
  let kube: KubeServer;
  let env: NodeJS.ProcessEnv;

  let targets: Targets;
  before(async () => {
    targets = await startTargets(ARM_TOKEN);
    ({ dir, ws, arm, kube, env } = targets);
  });
  after(() => targets.stop());

  const deploy = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(['deploy', 'graph', ...args, '--json'], { cwd: ws, env: { ...env, ...extra } });

  it('ARM: what-if lists the creations, deploy creates both resources, a second deploy changes nothing', async () => {
    const preview = await deploy(['--env', 'prod', '--what-if']);
    assert.equal(preview.code, 0, preview.stderr);
    const whatIf = JSON.parse(preview.stdout) as DeployJson;
    assert.deepEqual(
      whatIf.changes!.map((c) => c.changeType),
      ['Create', 'Create'],
    );
    assert.equal(arm.resources.size, 0, 'what-if changed nothing');

    const first = await deploy(['--env', 'prod']);
    assert.equal(first.code, 0, first.stderr);
    const result = JSON.parse(first.stdout) as DeployJson;
    assert.equal(result.state, 'Succeeded');
    assert.deepEqual(
      result.changes!.map((c) => c.changeType),
      ['created', 'created'],
    );
    const graphId =
      '/subscriptions/sub-1234/resourcegroups/rg-edge-prod/providers/microsoft.iotoperations/instances/aio-prod/dataflowprofiles/default/dataflowgraphs/thermostat';
    const graph = arm.resources.get(graphId);
    assert.ok(graph, `resources: ${[...arm.resources.keys()].join(', ')}`);
    assert.deepEqual(graph.extendedLocation, {
      name: '/subscriptions/sub-1234/resourceGroups/rg-edge-prod/providers/Microsoft.ExtendedLocation/customLocations/cl-edge-prod',
      type: 'CustomLocation',
    });
    const nodes = graph.properties['nodes'] as Array<Record<string, any>>;
    assert.deepEqual(nodes[0]!['sourceSettings'], { endpointRef: 'default', dataSources: ['factory/+/telemetry'] });
    assert.deepEqual(nodes[1]!['graphSettings'], {
      registryEndpointRef: 'acr-prod',
      artifact: 'thermostat-graph:1.0.0',
      configuration: [{ key: 'temperature_upper_bound', value: '100' }],
    });
    assert.match(first.stderr, /deploying aio-thermostat to rg-edge-prod/);
    assert.ok(!(first.stdout + first.stderr).includes(ARM_TOKEN), 'the token is never printed');

    const etags = [...arm.resources.values()].map((r) => r.etag);
    const second = await deploy(['--env', 'prod']);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(
      (JSON.parse(second.stdout) as DeployJson).changes!.map((c) => c.changeType),
      ['unchanged', 'unchanged'],
    );
    assert.deepEqual(
      [...arm.resources.values()].map((r) => r.etag),
      etags,
    );
    const again = JSON.parse((await deploy(['--env', 'prod', '--what-if'])).stdout) as DeployJson;
    assert.deepEqual(
      again.changes!.map((c) => c.changeType),
      ['NoChange', 'NoChange'],
    );
  });

  it('ARM: --no-wait returns once the deployment is accepted', async () => {
    const r = await deploy(['--env', 'prod', '--no-wait']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as DeployJson).state, 'Accepted');
  });

  const armFaults: Array<[Parameters<ArmServer['setFault']>[0], number, RegExp]> = [
    ['unauthorized', 4, /AIO_ARM_REQUEST_FAILED.*401/],
    ['forbidden', 4, /AIO_ARM_REQUEST_FAILED.*403 AuthorizationFailed/],
    ['conflict', 4, /AIO_ARM_REQUEST_FAILED.*409 DeploymentActive/],
    ['failed', 5, /AIO_DEPLOY_FAILED.*custom location cl-edge-prod was not found/],
    ['never-finishes', 5, /AIO_DEPLOY_TIMEOUT/],
  ];
  // Every ARM call aio makes meets the same faults: the deployment, its what-if, and provision's deployment.
  const armCommands: Array<[string, string[]]> = [
    ['deploy', ['deploy', 'graph', '--env', 'prod']],
    ['what-if', ['deploy', 'graph', '--env', 'prod', '--what-if']],
    ['provision', ['provision', '--env', 'prod']],
  ];
  for (const [label, args] of armCommands) {
    for (const [fault, exit, message] of armFaults) {
      it(`ARM ${label}: ${fault} → exit ${exit} with a clear error`, async () => {
        arm.setFault(fault);
        try {
          const r = await runCli([...args, '--timeout', '3', '--json'], { cwd: ws, env: { ...env, AIO_EXTENSION_PRINCIPAL_ID: 'principal-42' } });
          assert.equal(r.code, exit, r.stdout + r.stderr);
          const body = JSON.parse(r.stdout) as DeployJson;
          assert.match(`${body.error!.code} ${body.error!.message}`, message);
          assert.ok(!looksLikeStackTrace(r.stdout + r.stderr));
          assert.ok(!(r.stdout + r.stderr).includes(ARM_TOKEN));
        } finally {
          arm.setFault('none');
        }
      });
    }
  }

  it('ARM: without an Azure sign-in, says how to sign in', async () => {
    const r = await deploy(['--env', 'prod'], { PATH: await fakeToolsPath(join(dir, 'no-az'), { azToken: null }) });
    assert.equal(r.code, 4, r.stderr);
    assert.equal((JSON.parse(r.stdout) as DeployJson).error!.code, 'AIO_AZURE_NOT_SIGNED_IN');
  });

  it('Kubernetes: dry run sends dryRun=All and stores nothing; apply waits for Succeeded; a second apply changes nothing', async () => {
    const dry = await deploy(['--env', 'staging', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(kube.objects.size, 0);
    const patches = kube.requests.filter((r) => r.method === 'PATCH');
    assert.ok(
      patches.length === 2 &&
        patches.every(
          (p) =>
            p.query.get('dryRun') === 'All' &&
            p.query.get('fieldManager') === 'aio' &&
            p.query.get('force') === 'true' &&
            p.contentType === 'application/apply-patch+yaml',
        ),
    );

    const applied = await deploy(['--env', 'staging']);
    assert.equal(applied.code, 0, applied.stderr);
    const result = JSON.parse(applied.stdout) as DeployJson & { context: string };
    assert.equal(result.state, 'Succeeded');
    assert.equal(result.context, 'local');
    assert.deepEqual(
      result.objects!.map((o) => [o.kind, o.changed]),
      [
        ['RegistryEndpoint', true],
        ['DataflowGraph', true],
      ],
    );
    const stored = kube.objects.get('dataflowgraphs/azure-iot-operations/thermostat')!;
    assert.equal(stored['spec'].profileRef, 'default');
    assert.equal(stored['spec'].nodes[1].graphSettings.registryEndpointRef, 'acr-staging');
    const version = stored['metadata'].resourceVersion;

    const second = await deploy(['--env', 'staging']);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(
      (JSON.parse(second.stdout) as DeployJson).objects!.map((o) => o.changed),
      [false, false],
    );
    assert.equal(kube.objects.get('dataflowgraphs/azure-iot-operations/thermostat')!['metadata'].resourceVersion, version);
  });

  it('Kubernetes: failed provisioning exits 5, no status within --timeout exits 5, a refused write exits 4, an unknown context exits 3', async () => {
    const failing = await startKubeServer({ outcome: 'Failed' });
    const silent = await startKubeServer({ outcome: 'never' });
    const forbidden = await startKubeServer({ rejectWrites: 403 });
    try {
      const failed = await deploy(['--env', 'staging'], { KUBECONFIG: await failing.kubeconfig(await makeTempDir()) });
      assert.equal(failed.code, 5, failed.stderr);
      assert.match((JSON.parse(failed.stdout) as DeployJson).error!.message, /failed to provision: artifact thermostat-graph:1\.0\.0 not found/);
      const timeout = await deploy(['--env', 'staging', '--timeout', '2'], { KUBECONFIG: await silent.kubeconfig(await makeTempDir()) });
      assert.equal(timeout.code, 5);
      assert.equal((JSON.parse(timeout.stdout) as DeployJson).error!.code, 'AIO_DEPLOY_TIMEOUT');
      const refused = await deploy(['--env', 'staging'], { KUBECONFIG: await forbidden.kubeconfig(await makeTempDir()) });
      assert.equal(refused.code, 4);
      assert.match((JSON.parse(refused.stdout) as DeployJson).error!.message, /Kubernetes refused RegistryEndpoint acr-staging \(403\): .*forbidden/);
      const context = await deploy(['--env', 'staging'], { KUBE_CONTEXT: 'nowhere' });
      assert.equal(context.code, 3);
      assert.equal((JSON.parse(context.stdout) as DeployJson).error!.code, 'AIO_KUBE_CONTEXT_UNKNOWN');
    } finally {
      await Promise.all([failing.stop(), silent.stop(), forbidden.stop()]);
    }
  });

  it('the rendered Kubernetes manifests are applied by the real kubectl, as a pipeline would', async () => {
    const target = await startKubeServer();
    try {
      const kubeconfig = await target.kubeconfig(await makeTempDir());
      const rendered = await runCli(['render', '--env', 'staging', '--format', 'k8s'], { cwd: ws, env });
      assert.equal(rendered.code, 0, rendered.stderr);
      const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('kubectl', ['--kubeconfig', kubeconfig, '--context', 'local', 'apply', '--server-side', '--field-manager', 'pipeline', '-f', '-'], {
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(rendered.stdout);
      });
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /registryendpoint\.connectivity\.iotoperations\.azure\.com\/acr-staging serverside-applied/);
      assert.match(out.stdout, /dataflowgraph\.connectivity\.iotoperations\.azure\.com\/thermostat serverside-applied/);
      assert.ok(target.requests.some((r) => r.method === 'PATCH' && r.query.get('fieldManager') === 'pipeline'));
      assert.equal(target.objects.get('dataflowgraphs/azure-iot-operations/thermostat')!['spec'].nodes[1].graphSettings.artifact, 'thermostat-graph:1.0.0');
    } finally {
      await target.stop();
    }
  });

  it('the same aio.yaml emulates with --env local and deploys with --env prod, unedited', async () => {
    const before = await readFile(join(ws, 'aio.yaml'), 'utf8');
    const emulated = await runCli(['emulate', '--env', 'local', '--data', join(ws, 'data'), '--json'], { cwd: ws, env });
    assert.equal(emulated.code, 0, emulated.stderr);
    assert.equal((JSON.parse(emulated.stdout) as { sinkMessages: number }).sinkMessages, 2);
    const log = await readFile(join(ws, 'data', 'output', 'logs', 'host-app.log'), 'utf8');
    assert.match(log, /outside \[-40, 120\]/, 'the local environment’s configuration reached the module');
    const deployed = await deploy(['--env', 'prod']);
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.equal(await readFile(join(ws, 'aio.yaml'), 'utf8'), before);
  });

  it('aio provision creates the registry, the AcrPull assignment and the endpoint in one deployment, and is idempotent', async () => {
    const missing = await runCli(['provision', '--env', 'prod'], { cwd: ws, env: { ...env, AIO_EXTENSION_PRINCIPAL_ID: undefined } });
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /AIO_PROVISION_NO_PRINCIPAL[\s\S]*az k8s-extension list/);
    const withPrincipal = { ...env, AIO_EXTENSION_PRINCIPAL_ID: 'principal-42' };
    const r = await runCli(['provision', '--env', 'prod', '--json'], { cwd: ws, env: withPrincipal });
    assert.equal(r.code, 0, r.stderr);
    const deployed = arm.deployments.at(-1)!;
    assert.equal(deployed.name, 'aio-provision-acr-prod');
    const types = (deployed.template['resources'] as Array<Record<string, any>>).map((x) => x['type']);
    assert.deepEqual(types, [
      'Microsoft.ContainerRegistry/registries',
      'Microsoft.Authorization/roleAssignments',
      'Microsoft.IoTOperations/instances/registryEndpoints',
    ]);
    const role = (deployed.template['resources'] as Array<Record<string, any>>)[1]!;
    assert.equal(role['properties'].principalId, 'principal-42');
    assert.equal(role['properties'].principalType, 'ServicePrincipal');
    assert.match(role['properties'].roleDefinitionId, /7f951dda-4ed3-4680-a7ca-43fe172d538d/);
    assert.ok(arm.resources.has('/subscriptions/sub-1234/resourcegroups/rg-edge-prod/providers/microsoft.containerregistry/registries/aioprod'));
    const etags = [...arm.resources.values()].map((x) => x.etag);
    assert.equal((await runCli(['provision', '--env', 'prod'], { cwd: ws, env: withPrincipal })).code, 0);
    assert.deepEqual(
      [...arm.resources.values()].map((x) => x.etag),
      etags,
      'a second provision changes nothing',
    );
  });

  it('reports what the service would reject at its aio.yaml line:column before sending anything', async () => {
    const bad = join(dir, 'bad');
    await copyExample('thermostat', bad);
    const text = (await readFile(join(bad, 'aio.yaml'), 'utf8')).replace(
      '  prod:\n    target: arm',
      '  prod:\n    target: arm\n    graphName: Thermostat_Graph',
    );
    await writeFile(join(bad, 'aio.yaml'), text);
    const before = arm.requests.length;
    const r = await runCli(['deploy', 'graph', '--env', 'prod'], { cwd: bad, env });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /aio\.yaml:\d+:\d+: error AIO_DEPLOY_NAME: the DataflowGraph name "Thermostat_Graph" is not a valid resource name/);
    assert.equal(arm.requests.length, before, 'nothing was sent');
  });
});
