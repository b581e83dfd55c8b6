/**
 * A pipeline as the engine runs it (src/pipeline/flatten.ts) and a destination's topic and header actions
 * (src/builtins/destination.ts): WASM graph nodes inlined with their ports, branch arms, fan-in, node
 * configuration as parameter defaults, `${outputTopic}` segments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyHeaderActions, resolveDestinationTopic } from '../../src/builtins/destination.js';
import { createMessage } from '../../src/engine/message.js';
import { validateGraphText } from '../../src/graph/validate.js';
import { flattenPipeline } from '../../src/pipeline/flatten.js';
import { validateManifestText } from '../../src/pipeline/validate-manifest.js';

const WASM_GRAPH = `metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: split, version: "1.0.0" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
moduleConfigurations:
  - name: check/branch
    parameters:
      limit: { name: limit, default: "10" }
operations:
  - { operationType: source, name: source }
  - { operationType: branch, name: check/branch, module: "check:1.0.0" }
  - { operationType: map, name: fix/map, module: "fix:1.0.0" }
  - { operationType: sink, name: alert-output }
  - { operationType: sink, name: normal-output }
connections:
  - { from: { name: source }, to: { name: check/branch } }
  - { from: { name: check/branch, arm: "True" }, to: { name: alert-output } }
  - { from: { name: check/branch, arm: "False" }, to: { name: fix/map } }
  - { from: { name: fix/map }, to: { name: normal-output } }
`;

const MANIFEST = `apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata: { name: flat }
spec:
  nodes:
    - { nodeType: Source, name: a, sourceSettings: { endpointRef: default, dataSources: ["in/a/#"] } }
    - { nodeType: Source, name: b, sourceSettings: { endpointRef: default, dataSources: ["in/b"] } }
    - nodeType: Graph
      name: split
      graphSettings:
        registryEndpointRef: default
        artifact: split:1.0.0
        configuration: [{ key: limit, value: "42" }]
    - nodeType: Graph
      name: sev
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-branch:1.0.0
        configuration: [{ key: rules, value: '{"branch":{"inputs":["x"],"expression":"$1 > 1"}}' }]
    - { nodeType: Destination, name: alerts, destinationSettings: { endpointRef: default, dataDestination: alerts } }
    - { nodeType: Destination, name: rest, destinationSettings: { endpointRef: default, dataDestination: "rest/\${outputTopic.2}" } }
  nodeConnections:
    - { from: { name: a }, to: { name: split } }
    - { from: { name: b }, to: { name: split } }
    - { from: { name: split.alert-output }, to: { name: alerts } }
    - { from: { name: split.normal-output }, to: { name: sev } }
    - { from: { name: sev.output.true }, to: { name: alerts } }
    - { from: { name: sev.output.false }, to: { name: rest } }
`;

describe('flattenPipeline', () => {
  const manifest = validateManifestText('pipeline.yaml', MANIFEST);
  const inner = validateGraphText('split.graph.yaml', WASM_GRAPH);

  it('the fixtures are valid', () => {
    assert.deepEqual(
      manifest.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.equal(inner.valid, true, JSON.stringify(inner.diagnostics));
  });

  it('inlines the WASM graph under its node, wires its ports and keeps branch arms', () => {
    const graph = flattenPipeline(manifest.manifest!, new Map([['split', inner.graph!]]));
    assert.deepEqual(
      graph.operations.map((o) => [o.name, o.type, o.native?.kind ?? o.origin?.node]),
      [
        ['a', 'source', 'source'],
        ['b', 'source', 'source'],
        ['split/check/branch', 'branch', 'split'],
        ['split/fix/map', 'map', 'split'],
        ['sev', 'branch', 'builtin'],
        ['alerts', 'sink', 'destination'],
        ['rest', 'sink', 'destination'],
      ],
    );
    const edges = graph.connections.map((c) => `${c.from.name}${c.from.arm ? `[${c.from.arm}]` : ''} -> ${c.to.name}`);
    assert.deepEqual(edges.sort(), [
      'a -> split/check/branch',
      'b -> split/check/branch',
      'sev[False] -> rest',
      'sev[True] -> alerts',
      'split/check/branch[False] -> split/fix/map',
      'split/check/branch[True] -> alerts',
      'split/fix/map -> sev',
    ]);
  });

  it("the node's configuration becomes its operations' parameter defaults", () => {
    const graph = flattenPipeline(manifest.manifest!, new Map([['split', inner.graph!]]));
    const branch = graph.moduleConfigurations.find((c) => c.name === 'split/check/branch')!;
    assert.equal(branch.parameters.find((p) => p.name === 'limit')!.default, '42');
    assert.deepEqual(
      graph.operations.filter((o) => o.native?.kind === 'source').map((o) => (o.native as { filters: string[] }).filters),
      [['in/a/#'], ['in/b']],
    );
  });
});

describe('destinations', () => {
  const message = (topic: string, topicWritten: boolean) => ({
    ...createMessage({ timestamp: { secs: 1, nanos: 0, counter: 0, nodeId: 'n' }, topic, payload: '{}' }),
    topicWritten,
  });

  it('resolves ${outputTopic} and its 1-based segments from a topic a transform wrote', () => {
    assert.deepEqual(resolveDestinationTopic('factory/${outputTopic}', message('region/west', true)), { topic: 'factory/region/west' });
    assert.deepEqual(resolveDestinationTopic('factory/${outputTopic.1}', message('region/west', true)), { topic: 'factory/region' });
    assert.deepEqual(resolveDestinationTopic('factory/${outputTopic.2}', message('/region/west/', true)), { topic: 'factory/west' });
    assert.deepEqual(resolveDestinationTopic('static/topic', message('x', false)), { topic: 'static/topic' });
  });

  it('drops with a reason when no transform wrote the topic, or a segment is out of range', () => {
    assert.match(
      (resolveDestinationTopic('f/${outputTopic}', message('src/topic', false)) as { reason: string }).reason,
      /no transform before this destination wrote it/,
    );
    assert.match((resolveDestinationTopic('f/${outputTopic.3}', message('a/b', true)) as { reason: string }).reason, /segment 3 of "a\/b", which has 2/);
  });

  it('applies header actions in order', () => {
    const props: Array<[string, string]> = [
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
    ];
    assert.deepEqual(
      applyHeaderActions(props, [
        { actionType: 'AddIfNotPresent', key: 'b', value: 'x' },
        { actionType: 'AddIfNotPresent', key: 'c', value: 'y' },
        { actionType: 'AddOrReplace', key: 'a', value: 'z' },
        { actionType: 'Remove', key: 'b' },
      ]),
      [
        ['c', 'y'],
        ['a', 'z'],
      ],
    );
  });
});
