/**
 * `aio render` of the example pipeline (examples/thermostat/pipeline.dataflowgraph.yaml: built-in map → the
 * workspace's thermostat graph → built-in window → destination with headers) bound by two environments of its
 * aio.yaml: snapshots of ARM, Bicep and Kubernetes, the API version choice, and a field the version lacks.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { matchSnapshot } from '../helpers/snapshot.js';

const example = join(repoRoot, 'examples', 'thermostat');
/** Variables the example's aio.yaml reads, pinned so snapshots do not depend on the machine. */
const env = { AZURE_SUBSCRIPTION_ID: undefined, PROD_REGISTRY: undefined, STAGING_REGISTRY: undefined, KUBE_CONTEXT: undefined, AIO_ENV: undefined };

interface Node {
  nodeType: string;
  name: string;
  sourceSettings?: { endpointRef: string; dataSources: string[] };
  graphSettings?: { registryEndpointRef: string; artifact: string; configuration: Array<{ key: string; value: string }> };
  destinationSettings?: { endpointRef: string; dataDestination: string; headers?: unknown[] };
}

describe('aio render of a pipeline', () => {
  it('ARM at API 2026-10-01 for pipeline-prod: the manifest’s nodes and connections with prod’s values, the custom node’s RegistryEndpoint', async () => {
    const r = await runCli(['render', '--env', 'pipeline-prod', '--format', 'arm'], { cwd: example, env });
    assert.equal(r.code, 0, r.stderr);
    matchSnapshot('render-pipeline-prod.arm.json', r.stdout);
    const template = JSON.parse(r.stdout) as {
      resources: Array<{ type: string; apiVersion: string; properties: { nodes?: Node[]; nodeConnections?: unknown[] } }>;
    };
    assert.deepEqual(
      template.resources.map((res) => [res.type.split('/').at(-1), res.apiVersion]),
      [
        ['registryEndpoints', '2026-10-01'],
        ['dataflowGraphs', '2026-10-01'],
      ],
    );
    const nodes = template.resources[1]!.properties.nodes!;
    assert.deepEqual(
      nodes.map((n) => n.name),
      ['sensors', 'normalize', 'thermostat', 'summary', 'factory'],
    );
    const byName = new Map(nodes.map((n) => [n.name, n]));
    assert.deepEqual(byName.get('sensors')!.sourceSettings, { endpointRef: 'plant-mqtt', dataSources: ['factory/+/telemetry'] });
    assert.equal(byName.get('thermostat')!.graphSettings!.registryEndpointRef, 'acr-prod', 'a custom node pulls through the environment’s endpoint');
    assert.deepEqual(byName.get('thermostat')!.graphSettings!.configuration, [{ key: 'temperature_upper_bound', value: '100' }]);
    assert.equal(byName.get('normalize')!.graphSettings!.registryEndpointRef, 'default', 'built-ins keep default');
    assert.deepEqual(byName.get('factory')!.destinationSettings, {
      endpointRef: 'plant-mqtt',
      dataDestination: 'factory/${outputTopic}',
      headers: [{ actionType: 'AddOrReplace', key: 'pipeline', value: 'thermostat' }],
    });
    assert.equal(template.resources[1]!.properties.nodeConnections!.length, 4);
  });

  it('Bicep for pipeline-prod and Kubernetes for pipeline-staging', async () => {
    const bicep = await runCli(['render', '--env', 'pipeline-prod', '--format', 'bicep'], { cwd: example, env });
    assert.equal(bicep.code, 0, bicep.stderr);
    matchSnapshot('render-pipeline-prod.bicep', bicep.stdout);
    assert.match(bicep.stdout, /dataflowGraphs@2026-10-01' = \{/);
    const k8s = await runCli(['render', '--env', 'pipeline-staging'], { cwd: example, env });
    assert.equal(k8s.code, 0, k8s.stderr);
    matchSnapshot('render-pipeline-staging.k8s.yaml', k8s.stdout);
    const docs = parseAllDocuments(k8s.stdout).map((d) => d.toJS() as { kind: string; spec: { profileRef?: string; nodes?: Node[] } });
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['RegistryEndpoint', 'DataflowGraph'],
    );
    const factory = docs[1]!.spec.nodes!.find((n) => n.name === 'factory')!;
    assert.equal(factory.destinationSettings!.dataDestination, 'staging/${outputTopic}');
    assert.equal(docs[1]!.spec.profileRef, 'default');
  });

  it('--api-version writes another version, and refuses a field that version lacks at the manifest’s line:column', async () => {
    const older = await runCli(['render', '--env', 'pipeline-prod', '--api-version', '2026-07-01', '--json'], { cwd: example, env });
    assert.equal(older.code, 0, older.stderr);
    const rendered = JSON.parse(older.stdout) as { source: string; document: { resources: Array<{ apiVersion: string }> } };
    assert.equal(rendered.source, 'pipeline thermostat-pipeline');
    assert.deepEqual(new Set(rendered.document.resources.map((r) => r.apiVersion)), new Set(['2026-07-01']));
    const preview = await runCli(['render', '--env', 'pipeline-prod', '--api-version', '2025-07-01-preview'], { cwd: example, env });
    assert.equal(preview.code, 3);
    assert.match(
      preview.stderr,
      /pipeline\.dataflowgraph\.yaml:\d+:\d+: error AIO_RENDER_API_VERSION_FIELD: node factory: destinationSettings\.headers is not in API version 2025-07-01-preview/,
    );
    const graph = await runCli(['render', '--env', 'prod', '--api-version', '2026-07-01'], { cwd: example, env });
    assert.equal(graph.code, 2);
    assert.match(graph.stderr, /AIO_RENDER_API_VERSION_GRAPH/);
  });
});
