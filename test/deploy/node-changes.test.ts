import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatNodeChanges, nodeChanges } from '../../src/deploy/node-changes.js';

const source = { nodeType: 'Source', name: 'sensors', sourceSettings: { endpointRef: 'default', dataSources: ['sensors/#'] } };
const graph = (bound: string) => ({
  nodeType: 'Graph',
  name: 'thermostat',
  graphSettings: { registryEndpointRef: 'acr-prod', artifact: 'thermostat-graph:1.0.0', configuration: [{ key: 'temperature_upper_bound', value: bound }] },
});
const destination = { nodeType: 'Destination', name: 'factory', destinationSettings: { endpointRef: 'default', dataDestination: 'factory/out' } };

describe('the per-node what-if of a DataflowGraph', () => {
  it('with nothing deployed, every desired node is added, in the desired order', () => {
    assert.deepEqual(nodeChanges(undefined, { nodes: [source, graph('100'), destination] }), [
      { node: 'sensors', change: 'added' },
      { node: 'thermostat', change: 'added' },
      { node: 'factory', change: 'added' },
    ]);
  });

  it('a node whose configuration differs is changed; one only the service holds is removed; one only desired is added', () => {
    const current = { nodes: [source, graph('100'), { ...destination, name: 'old-sink' }] };
    const desired = { nodes: [source, graph('90'), destination] };
    assert.deepEqual(nodeChanges(current, desired), [
      { node: 'sensors', change: 'unchanged' },
      { node: 'thermostat', change: 'changed' },
      { node: 'factory', change: 'added' },
      { node: 'old-sink', change: 'removed' },
    ]);
  });

  it('members a rendered node leaves undefined do not count as a change against what the service stored', () => {
    const rendered = { ...source, sourceSettings: { ...source.sourceSettings, assetRef: undefined } };
    assert.deepEqual(nodeChanges({ nodes: [source] }, { nodes: [rendered] }), [{ node: 'sensors', change: 'unchanged' }]);
  });

  it('prints one line per node under the graph name', () => {
    assert.equal(
      formatNodeChanges('thermostat-pipeline', [
        { node: 'sensors', change: 'unchanged' },
        { node: 'thermostat', change: 'changed' },
      ]),
      'nodes of thermostat-pipeline:\n  unchanged sensors\n  changed   thermostat',
    );
  });
});
