import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isDataflowGraphDocument } from '../../src/pipeline/envelope.js';
import type { GraphNode, Manifest } from '../../src/pipeline/model.js';
import { parseManifestText } from '../../src/pipeline/parse-manifest.js';
import { positionInValue } from '../../src/pipeline/value-position.js';
import { parseYaml } from '../../src/yaml/parse-document.js';
import { fixture, samplesDir } from '../helpers/paths.js';
import { positionOf } from './manifest-text.js';

const read = (path: string): Promise<string> => readFile(path, 'utf8');

function parseClean(file: string, text: string): Manifest {
  const { manifest, findings } = parseManifestText(file, text);
  assert.deepEqual(findings, []);
  assert.ok(manifest !== undefined);
  return manifest;
}

function graphNode(manifest: Manifest, name: string): GraphNode {
  const node = manifest.nodes.find((n) => n.name === name);
  assert.ok(node?.nodeType === 'Graph', `no Graph node ${name}`);
  return node;
}

/** The file position of the first occurrence of `token` inside the node's `rules` value. */
function tokenPosition(manifest: Manifest, node: string, token: string): { line: number; column: number } {
  const entry = graphNode(manifest, node).configuration.find((c) => c.key === 'rules');
  assert.ok(entry !== undefined);
  const offset = entry.value.indexOf(token);
  assert.notEqual(offset, -1, `${token} not in the value`);
  return positionInValue(entry.valueRuns, offset, entry.valuePos);
}

describe('parseManifestText: envelopes', () => {
  it('reads the AIO sample Kubernetes CR with every position', async () => {
    const file = join(samplesDir, 'k8s', 'dataflow-graph.yaml');
    const text = await read(file);
    const manifest = parseClean(file, text);
    assert.equal(manifest.envelope, 'kubernetes');
    assert.deepEqual(manifest.name, { value: 'graph', pos: positionOf(text, 'graph\n') });
    assert.equal(manifest.profileRef?.value, 'default');
    assert.equal(manifest.requestDiskPersistence?.value, 'Disabled');
    assert.equal(manifest.apiVersion, undefined);
    assert.deepEqual(
      manifest.nodes.map((n) => [n.nodeType, n.name, n.namePos]),
      [
        ['Source', 'temperature-source', positionOf(text, 'temperature-source')],
        ['Graph', 'temperature-processor', positionOf(text, 'temperature-processor')],
        ['Destination', 'temperature-destination', positionOf(text, 'temperature-destination')],
      ],
    );
    const processor = graphNode(manifest, 'temperature-processor');
    assert.deepEqual(processor.artifact, { value: 'graph-simple:1.0.0', pos: positionOf(text, 'graph-simple:1.0.0') });
    assert.equal(processor.registryEndpointRef?.value, 'registry-endpoint-acr');
    assert.deepEqual(
      processor.configuration.map((c) => [c.key, c.value, c.keyPos]),
      [
        ['temperature_lower_bound', '2000', positionOf(text, 'temperature_lower_bound')],
        ['temperature_upper_bound', '4000', positionOf(text, 'temperature_upper_bound')],
      ],
    );
    const source = manifest.nodes[0]!;
    assert.ok(source.nodeType === 'Source');
    assert.deepEqual(source.dataSources, [{ value: 'raw', pos: positionOf(text, 'raw') }]);
    assert.deepEqual(
      manifest.connections.map((c) => [c.from.node, c.from.port, c.to.name, c.to.pos]),
      [
        ['temperature-source', undefined, 'temperature-processor', positionOf(text, 'temperature-processor', 1)],
        ['temperature-processor', undefined, 'temperature-destination', positionOf(text, 'temperature-destination', 1)],
      ],
    );
  });

  it('reads `kubectl get -o yaml` output (status, managedFields, annotations) and splits branch ports', async () => {
    const file = fixture('pipelines', 'kubectl-get.yaml');
    const manifest = parseClean(file, await read(file));
    assert.equal(manifest.envelope, 'kubernetes');
    assert.equal(manifest.name?.value, 'filter-branch-merge');
    assert.equal(manifest.mode?.value, 'Enabled');
    assert.equal(manifest.nodes.length, 7);
    const arms = manifest.connections.filter((c) => c.from.node === 'severity-check').map((c) => [c.from.port, c.to.name]);
    assert.deepEqual(arms, [
      ['output.true', 'alert-transform'],
      ['output.false', 'normal-transform'],
    ]);
    assert.deepEqual(graphNode(manifest, 'merge').configuration, []);
  });

  it('reads an ARM template: the dataflowGraphs resource, its apiVersion, the last segment of its name, headers and edge schemas', async () => {
    const file = fixture('pipelines', 'arm-template.json');
    const text = await read(file);
    const manifest = parseClean(file, text);
    assert.equal(manifest.envelope, 'arm-template');
    assert.deepEqual(manifest.apiVersion, { value: '2026-10-01', pos: positionOf(text, '"2026-10-01"', 1) });
    assert.equal(manifest.name?.value, 'topic-routing');
    const destination = manifest.nodes.find((n) => n.name === 'output');
    assert.ok(destination?.nodeType === 'Destination');
    assert.equal(destination.dataDestination?.value, 'factory/${outputTopic}');
    assert.deepEqual(
      destination.headers?.actions.map((a) => [a.actionType?.value, a.key?.value, a.value?.value]),
      [['AddOrReplace', 'site', 'séville']],
    );
    const schema = manifest.connections[1]!.from.schema;
    assert.equal(schema?.serializationFormat?.value, 'Json');
    assert.equal(schema?.schemaRef?.value, 'aio-sr://aio/temperature:1');
  });

  it('reads a template whose resources are keyed by symbolic name (languageVersion 2.0), and a bare ARM resource', async () => {
    const template = JSON.parse(await read(fixture('pipelines', 'arm-template.json'))) as { resources: unknown[] };
    const symbolic = JSON.stringify({ languageVersion: '2.0', resources: { profile: template.resources[0], graph: template.resources[1] } }, null, 2);
    assert.equal(parseClean('symbolic.json', symbolic).envelope, 'arm-template');
    const resource = parseClean('resource.json', JSON.stringify(template.resources[1], null, 2));
    assert.equal(resource.envelope, 'arm-resource');
    assert.equal(resource.apiVersion?.value, '2026-10-01');
    assert.deepEqual(
      resource.nodes.map((n) => n.name),
      ['sensors', 'route-by-temperature', 'output'],
    );
  });

  it('reads the bare properties body `az iot ops dataflowgraph apply` takes', async () => {
    const file = fixture('pipelines', 'az-apply.json');
    const manifest = parseClean(file, await read(file));
    assert.equal(manifest.envelope, 'properties');
    assert.equal(manifest.name, undefined);
    assert.equal(manifest.connections.length, 2);
  });

  it('tells a manifest from a graph definition and from other Kubernetes objects', async () => {
    const value = async (path: string): Promise<unknown> => {
      const parsed = parseYaml(await read(path));
      assert.ok(parsed.ok);
      return parsed.value;
    };
    assert.equal(isDataflowGraphDocument(await value(join(samplesDir, 'k8s', 'dataflow-graph.yaml'))), true);
    assert.equal(isDataflowGraphDocument(await value(fixture('pipelines', 'az-apply.json'))), true);
    assert.equal(isDataflowGraphDocument(await value(join(samplesDir, 'aio-explore', 'graph-complex.yaml'))), false);
    assert.equal(isDataflowGraphDocument({ apiVersion: 'apps/v1', kind: 'Deployment', spec: {} }), false);
    const notManifest = parseManifestText('graph.yaml', await read(join(samplesDir, 'aio-explore', 'graph-complex.yaml')));
    assert.equal(notManifest.manifest, undefined);
    assert.deepEqual(
      notManifest.findings.map((f) => f.code),
      ['AIO_PIPELINE_NOT_A_MANIFEST'],
    );
  });
});

describe('parseManifestText: positions inside configuration values', () => {
  it('maps offsets through a literal block scalar, a folded one, a single-quoted and a multi-line double-quoted scalar', async () => {
    const file = fixture('pipelines', 'kubectl-get.yaml');
    const text = await read(file);
    const manifest = parseClean(file, text);
    assert.deepEqual(tokenPosition(manifest, 'remove-bad-data', '$1 > 1000'), positionOf(text, '$1 > 1000'));
    assert.deepEqual(tokenPosition(manifest, 'remove-bad-data', '"description"'), positionOf(text, '"description"'));
    // `>-` folds the line break into a space; the second line's tokens stay where they are written.
    assert.deepEqual(tokenPosition(manifest, 'severity-check', '"expression"'), positionOf(text, '"expression": "$1 > 5"'));
    assert.deepEqual(tokenPosition(manifest, 'alert-transform', '"alert"'), positionOf(text, '"alert"'));
    // In a YAML double-quoted scalar, `\"` is one character of the value, written at its backslash.
    assert.deepEqual(tokenPosition(manifest, 'normal-transform', '"temperature"'), positionOf(text, '\\"temperature\\"'));
    assert.deepEqual(tokenPosition(manifest, 'normal-transform', 'temp"}'), positionOf(text, 'temp\\"}'));
  });

  it('maps the same positions when the file has CRLF line ends', async () => {
    const text = (await read(fixture('pipelines', 'kubectl-get.yaml'))).replace(/\n/g, '\r\n');
    const manifest = parseClean('crlf.yaml', text);
    assert.deepEqual(tokenPosition(manifest, 'remove-bad-data', '$1 > 1000'), positionOf(text, '$1 > 1000'));
    assert.deepEqual(tokenPosition(manifest, 'severity-check', '"expression"'), positionOf(text, '"expression": "$1 > 5"'));
    assert.deepEqual(tokenPosition(manifest, 'normal-transform', 'temp"}'), positionOf(text, 'temp\\"}'));
  });

  it('maps offsets through JSON string escapes (\\", \\\\, \\u00e9) in a JSON file', async () => {
    const file = fixture('pipelines', 'az-apply.json');
    const text = await read(file);
    const manifest = parseClean(file, text);
    assert.deepEqual(tokenPosition(manifest, 'route-by-temperature', 'if($1'), positionOf(text, 'if($1'));
    // The value holds `\"alerts\"`: its backslash is written `\\`, its quote `\"`.
    assert.deepEqual(tokenPosition(manifest, 'route-by-temperature', '\\"alerts'), positionOf(text, '\\\\\\"alerts'));
    assert.deepEqual(tokenPosition(manifest, 'route-by-temperature', 'historian'), positionOf(text, 'historian'));

    const escaped = JSON.stringify(
      {
        nodes: [
          {
            nodeType: 'Graph',
            name: 'm',
            graphSettings: { registryEndpointRef: 'default', artifact: 'x:1', configuration: [{ key: 'rules', value: 'é\n\t$1 +' }] },
          },
        ],
        nodeConnections: [],
      },
      null,
      1,
    ).replace('é', '\\u00e9');
    const m = parseManifestText('escaped.json', escaped).manifest;
    assert.ok(m !== undefined);
    const entry = graphNode(m, 'm').configuration[0]!;
    assert.equal(entry.value, 'é\n\t$1 +');
    assert.deepEqual(positionInValue(entry.valueRuns, entry.value.indexOf('$1'), entry.valuePos), positionOf(escaped, '$1'));
    assert.deepEqual(positionInValue(entry.valueRuns, entry.value.indexOf('\t'), entry.valuePos), positionOf(escaped, '\\t'));
  });

  it('maps offsets through plain multi-line scalars and literal blocks with deeper indentation', () => {
    const text = [
      'nodes:',
      '  - nodeType: Graph',
      '    name: m',
      '    graphSettings:',
      '      registryEndpointRef: default',
      '      artifact: x:1',
      '      configuration:',
      '        - key: plain',
      '          value: first line',
      '            second   line',
      '        - key: block',
      '          value: |2',
      '               deeper',
      '              base',
      'nodeConnections: []',
      '',
    ].join('\n');
    const manifest = parseClean('plain.yaml', text);
    const [plain, block] = graphNode(manifest, 'm').configuration;
    assert.equal(plain!.value, 'first line second   line');
    assert.deepEqual(positionInValue(plain!.valueRuns, plain!.value.indexOf('second'), plain!.valuePos), positionOf(text, 'second'));
    assert.deepEqual(positionInValue(plain!.valueRuns, plain!.value.lastIndexOf('line'), plain!.valuePos), positionOf(text, 'line', 1));
    // `|2`: the block is indented two past its parent's 10 columns, so the value keeps the spaces beyond 12.
    assert.equal(block!.value, '   deeper\n  base\n');
    assert.deepEqual(positionInValue(block!.valueRuns, block!.value.indexOf('base'), block!.valuePos), positionOf(text, 'base'));
    assert.deepEqual(positionInValue(block!.valueRuns, block!.value.indexOf('deeper'), block!.valuePos), positionOf(text, 'deeper'));
  });
});

describe('parseManifestText: shape findings', () => {
  it('reports missing, mistyped and unknown fields where they are written, and keeps going', () => {
    const text = [
      'apiVersion: connectivity.iotoperations.azure.com/v1',
      'kind: DataflowGraph',
      'metadata:',
      '  name: shapes',
      'spec:',
      '  nodes:',
      '    - nodeType: Source',
      '      name: in',
      '      sourceSettings:',
      '        endpointRf: default',
      '        dataSources: [a]',
      '    - nodeType: Graph',
      '      name: g',
      '      graphSettings:',
      '        registryEndpointRef: default',
      '        artifact: x:1',
      '        configuration:',
      '          - key: bound',
      '            value: 2000',
      '    - nodeType: Sink',
      '      name: out',
      '',
    ].join('\n');
    const { manifest, findings } = parseManifestText('shapes.yaml', text);
    assert.ok(manifest !== undefined);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.line, f.column]),
      [
        ['AIO_PIPELINE_UNKNOWN_FIELD', 'warning', 10, 9],
        // A missing field is reported at the mapping that should hold it.
        ['AIO_PIPELINE_REQUIRED', 'error', 10, 9],
        ['AIO_PIPELINE_TYPE', 'error', 19, 20],
        ['AIO_PIPELINE_NODE_TYPE', 'error', 20, 17],
        ['AIO_PIPELINE_REQUIRED', 'error', 6, 3],
      ],
    );
    assert.match(findings[0]!.hint ?? '', /did you mean "endpointRef"/);
    assert.equal(findings[1]!.message, 'nodes[0].sourceSettings.endpointRef is required');
    assert.equal(findings[2]!.hint, 'quote it: "2000"');
    assert.equal(findings[4]!.message, 'nodeConnections is required');
    assert.equal(graphNode(manifest, 'g').configuration[0]!.value, '2000');
  });
});
