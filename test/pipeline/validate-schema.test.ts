/**
 * A built-in filter with `validateSchema` checks payloads against the schema its incoming connection names, found in
 * the local schema registry (`schemas/` beside the manifest); a missing reference or file stops the run before start.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_RUN_LIMITS } from '../../src/run/run-limits.js';
import { runTests } from '../../src/testing/run-tests.js';
import { withTempDir } from '../helpers/temp-dir.js';

function manifest(schema: string): string {
  return `apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata: { name: checked }
spec:
  nodes:
    - { nodeType: Source, name: in, sourceSettings: { endpointRef: default, dataSources: [readings] } }
    - nodeType: Graph
      name: conform
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-filter:1.0.0
        configuration:
          - key: rules
            value: '{"version": "1.0.0", "validateSchema": true, "filter": []}'
    - { nodeType: Destination, name: out, destinationSettings: { endpointRef: default, dataDestination: checked } }
  nodeConnections:
    - from: { name: in${schema} }
      to: { name: conform }
    - { from: { name: conform }, to: { name: out } }
`;
}

const CASES = `graph: pipeline.yaml
cases:
  - name: a conforming payload passes, another is dropped with the schema's reason
    input:
      - { at: 1, topic: readings, payload: { temperature: 21.5 } }
      - { at: 2, topic: readings, payload: { temperature: warm } }
    expect:
      sink:
        - { topic: checked, payload: { temperature: 21.5 } }
      dropped:
        - { operation: conform, reason: "/temperature must be number", at: 2 }
`;

const SCHEMA = JSON.stringify({ type: 'object', required: ['temperature'], properties: { temperature: { type: 'number' } } });

async function run(dir: string) {
  return runTests({ paths: [join(dir, 'pipeline.cases.yaml')], moduleDirs: [], update: false, limits: DEFAULT_RUN_LIMITS });
}

describe('validateSchema in a pipeline', () => {
  it('checks each payload against the schema the incoming connection names', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'pipeline.yaml'), manifest(', schema: { serializationFormat: Json, schemaRef: "aio-sr://factory/reading:1" }'));
      await mkdir(join(dir, 'schemas'));
      await writeFile(join(dir, 'schemas', 'reading-1.json'), SCHEMA);
      await writeFile(join(dir, 'pipeline.cases.yaml'), CASES);
      const result = await run(dir);
      assert.equal(result.failed, 0, JSON.stringify(result.cases, null, 1));
    });
  });

  it('a schema missing from the local registry, or no schemaRef at all, stops the run with the place to fix', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'pipeline.cases.yaml'), CASES);
      await writeFile(join(dir, 'pipeline.yaml'), manifest(', schema: { serializationFormat: Json, schemaRef: "aio-sr://reading:1" }'));
      const notFound = (await run(dir)).cases[0]!;
      assert.equal(notFound.status, 'error');
      assert.match(
        notFound.reason!,
        /AIO_PIPELINE_SCHEMA_NOT_FOUND: node conform validates against aio-sr:\/\/reading:1.*schemas\/reading-1\.json or .*schemas\/reading\.json/,
      );
      await writeFile(join(dir, 'pipeline.yaml'), manifest(''));
      const missing = (await run(dir)).cases[0]!;
      assert.match(missing.reason!, /pipeline\.yaml:\d+:\d+: AIO_PIPELINE_SCHEMA_MISSING/);
    });
  });
});
