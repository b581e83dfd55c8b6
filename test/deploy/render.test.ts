import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { matchSnapshot } from '../helpers/snapshot.js';

const example = join(repoRoot, 'examples', 'thermostat');
/** Variables the example's aio.yaml reads, pinned so snapshots do not depend on the machine. */
const env = { AZURE_SUBSCRIPTION_ID: undefined, PROD_REGISTRY: undefined, STAGING_REGISTRY: undefined, KUBE_CONTEXT: undefined, AIO_ENV: undefined };

/**
 * The resource shapes of the spec (shared/spec/artifacts-and-deploy.md) as JSON Schema: required fields, enums,
 * name patterns. Written from the spec, not from our renderer, so the renderer is checked against it.
 */
const NAME = { type: 'string', minLength: 3, maxLength: 63, pattern: '^[a-z0-9][a-z0-9-]*[a-z0-9]$' };
const node = {
  type: 'object',
  required: ['nodeType', 'name'],
  properties: { nodeType: { enum: ['Source', 'Graph', 'Destination'] }, name: { type: 'string', pattern: '^[a-zA-Z0-9_-]+$' } },
  allOf: [
    {
      if: { properties: { nodeType: { const: 'Source' } } },
      then: {
        required: ['sourceSettings'],
        properties: {
          sourceSettings: {
            type: 'object',
            required: ['endpointRef', 'dataSources'],
            properties: { dataSources: { type: 'array', minItems: 1, items: { type: 'string' } } },
          },
        },
      },
    },
    {
      if: { properties: { nodeType: { const: 'Graph' } } },
      then: {
        required: ['graphSettings'],
        properties: {
          graphSettings: {
            type: 'object',
            required: ['registryEndpointRef', 'artifact'],
            properties: {
              artifact: { type: 'string', pattern: '^[^:]+:[^:]+$' },
              configuration: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['key', 'value'],
                  properties: { key: { type: 'string', pattern: '^[a-zA-Z0-9_-]+$' }, value: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    {
      if: { properties: { nodeType: { const: 'Destination' } } },
      then: { required: ['destinationSettings'], properties: { destinationSettings: { type: 'object', required: ['endpointRef', 'dataDestination'] } } },
    },
  ],
};
const graphProperties = {
  type: 'object',
  required: ['nodes', 'nodeConnections'],
  properties: {
    mode: { enum: ['Enabled', 'Disabled'] },
    requestDiskPersistence: { enum: ['Enabled', 'Disabled'] },
    nodes: { type: 'array', items: node, contains: { properties: { nodeType: { const: 'Source' } } } },
    nodeConnections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['from', 'to'],
        properties: { from: { type: 'object', required: ['name'] }, to: { type: 'object', required: ['name'] } },
      },
    },
  },
};
const endpointProperties = {
  type: 'object',
  required: ['host', 'authentication'],
  properties: {
    host: { type: 'string', minLength: 3, maxLength: 63 },
    authentication: {
      type: 'object',
      required: ['method'],
      properties: { method: { enum: ['SystemAssignedManagedIdentity', 'UserAssignedManagedIdentity', 'Anonymous', 'ArtifactPullSecret'] } },
      allOf: [{ if: { properties: { method: { const: 'SystemAssignedManagedIdentity' } } }, then: { required: ['systemAssignedManagedIdentitySettings'] } }],
    },
  },
};
const armResource = {
  type: 'object',
  required: ['type', 'apiVersion', 'name', 'extendedLocation', 'properties'],
  properties: {
    apiVersion: { const: '2026-07-01' },
    extendedLocation: {
      type: 'object',
      required: ['name', 'type'],
      properties: {
        type: { const: 'CustomLocation' },
        name: { type: 'string', pattern: '^/subscriptions/.+/providers/Microsoft.ExtendedLocation/customLocations/.+$' },
      },
    },
  },
  allOf: [
    {
      if: { properties: { type: { const: 'Microsoft.IoTOperations/instances/dataflowProfiles/dataflowGraphs' } } },
      then: { properties: { properties: graphProperties, name: { type: 'string', pattern: '^[^/]+/[^/]+/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$' } } },
    },
    {
      if: { properties: { type: { const: 'Microsoft.IoTOperations/instances/registryEndpoints' } } },
      then: { properties: { properties: endpointProperties, name: { type: 'string', pattern: '^[^/]+/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$' } } },
    },
  ],
};
const k8sObject = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'connectivity.iotoperations.azure.com/v1' },
    kind: { enum: ['DataflowGraph', 'RegistryEndpoint'] },
    metadata: { type: 'object', required: ['name', 'namespace'], properties: { name: NAME } },
  },
  allOf: [
    { if: { properties: { kind: { const: 'DataflowGraph' } } }, then: { properties: { spec: { allOf: [graphProperties, { required: ['profileRef'] }] } } } },
    { if: { properties: { kind: { const: 'RegistryEndpoint' } } }, then: { properties: { spec: endpointProperties } } },
  ],
};

const ajv = new Ajv({ allErrors: true, strict: false });

describe('aio render: snapshots of every example environment, checked against the resource shapes of the spec', () => {
  it('renders staging (Kubernetes) manifests that match the spec shapes', async () => {
    const r = await runCli(['render', '--env', 'staging'], { cwd: example, env });
    assert.equal(r.code, 0, r.stderr);
    matchSnapshot('render-staging.k8s.yaml', r.stdout);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as unknown);
    assert.deepEqual(
      docs.map((d) => (d as { kind: string }).kind),
      ['RegistryEndpoint', 'DataflowGraph'],
    );
    const validate = ajv.compile(k8sObject);
    for (const doc of docs) assert.ok(validate(doc), JSON.stringify(validate.errors));
  });

  it('renders the prod ARM template that matches the spec shapes', async () => {
    const r = await runCli(['render', '--env', 'prod', '--format', 'arm'], { cwd: example, env });
    assert.equal(r.code, 0, r.stderr);
    matchSnapshot('render-prod.arm.json', r.stdout);
    const template = JSON.parse(r.stdout) as { resources: unknown[] };
    const validate = ajv.compile(armResource);
    assert.equal(template.resources.length, 2);
    for (const resource of template.resources) assert.ok(validate(resource), JSON.stringify(validate.errors));
  });

  it('renders prod as Bicep and prod as Kubernetes too', async () => {
    const bicep = await runCli(['render', '--env', 'prod', '--format', 'bicep'], { cwd: example, env });
    assert.equal(bicep.code, 0, bicep.stderr);
    matchSnapshot('render-prod.bicep', bicep.stdout);
    const k8s = await runCli(['render', '--env', 'prod', '--format', 'k8s'], { cwd: example, env });
    assert.equal(k8s.code, 0, k8s.stderr);
    matchSnapshot('render-prod.k8s.yaml', k8s.stdout);
  });

  it('the shape schema rejects what the service rejects (the check can fail)', () => {
    const validate = ajv.compile(k8sObject);
    const bad = {
      apiVersion: 'connectivity.iotoperations.azure.com/v1',
      kind: 'DataflowGraph',
      metadata: { name: 'Bad_Name', namespace: 'x' },
      spec: { nodes: [], nodeConnections: [] },
    };
    assert.equal(validate(bad), false);
  });

  it('refuses to render an emulator environment, and ARM for an environment without an instance', async () => {
    const local = await runCli(['render', '--env', 'local'], { cwd: example, env });
    assert.equal(local.code, 3);
    assert.match(local.stderr, /aio\.yaml:\d+:\d+: error AIO_ENV_NOT_DEPLOYABLE/);
    const arm = await runCli(['render', '--env', 'staging', '--format', 'arm'], { cwd: example, env });
    assert.equal(arm.code, 3);
    assert.match(arm.stderr, /AIO_RENDER_NEEDS_INSTANCE/);
  });

  it('aio env show masks secrets and aio env list lists every environment', async () => {
    const shown = await runCli(['env', 'show', 'prod', '--json'], { cwd: example, env: { ...env, AZURE_SUBSCRIPTION_ID: 'sub-secret-free' } });
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal((JSON.parse(shown.stdout) as { instance: { subscription: string } }).instance.subscription, 'sub-secret-free');
    const list = await runCli(['env', 'list', '--json'], { cwd: example, env });
    assert.deepEqual(
      (JSON.parse(list.stdout) as { environments: Array<{ name: string }> }).environments.map((e) => e.name),
      ['local', 'staging', 'prod', 'pipeline-local', 'pipeline-staging', 'pipeline-prod'],
    );
  });
});
