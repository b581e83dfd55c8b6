import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Diagnostic } from '../../src/diagnostics.js';
import { validateManifestText } from '../../src/pipeline/validate-manifest.js';
import { fixture } from '../helpers/paths.js';
import { positionOf } from './manifest-text.js';

/**
 * One broken manifest per rule: each case edits a valid pipeline (source → branch → map / concatenate →
 * destination) and names every finding it must give, with its code and the exact line:column of `at`.
 */
const BASE = `apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata:
  name: rules-test
spec:
  nodes:
    - nodeType: Source
      name: sensors
      sourceSettings:
        endpointRef: default
        dataSources: [telemetry/sensors]
    - nodeType: Graph
      name: check
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-branch:1.0.0
        configuration:
          - key: rules
            value: |
              {"branch": {"inputs": ["severity"], "expression": "$1 > 5"}}
    - nodeType: Graph
      name: alerts
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-map:1.0.0
        configuration:
          - key: rules
            value: |
              {
                "map": [
                  {"inputs": ["*"], "output": "*"},
                  {"inputs": [], "output": "alert", "expression": "true"}
                ]
              }
    - nodeType: Graph
      name: merge
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-concatenate:1.0.0
    - nodeType: Destination
      name: out
      destinationSettings:
        endpointRef: default
        dataDestination: telemetry/processed
  nodeConnections:
    - { from: { name: sensors }, to: { name: check } }
    - { from: { name: check.output.true }, to: { name: alerts } }
    - { from: { name: alerts }, to: { name: merge } }
    - { from: { name: check.output.false }, to: { name: merge } }
    - { from: { name: merge }, to: { name: out } }
`;

const CONNECTIONS = '  nodeConnections:\n';
const ALERT_RULES = '{"inputs": [], "output": "alert", "expression": "true"}';

function edit(from: string, to: string, text = BASE): string {
  assert.ok(text.includes(from), `the base lacks ${from}`);
  return text.replace(from, to);
}

/** The same pipeline as an ARM resource (JSON), with `apiVersion` and extra `properties`. */
function armResource(apiVersion: string, extra: Record<string, unknown> = {}, text = BASE): string {
  const spec = (parse(text) as { spec: Record<string, unknown> }).spec;
  return JSON.stringify(
    {
      type: 'Microsoft.IoTOperations/instances/dataflowProfiles/dataflowGraphs',
      apiVersion,
      name: 'aio/default/rules-test',
      properties: { ...spec, ...extra },
    },
    null,
    2,
  );
}

interface Expected {
  code: string;
  /** Text whose first character the finding points at (its `nth` occurrence, -1 for the last). */
  at: string;
  nth?: number;
  /** Columns to the right of `at`, for a finding at a character inside it. */
  plus?: number;
}

function check(text: string, expected: Expected[], options: { withInfo?: boolean } = {}): Diagnostic[] {
  const { diagnostics } = validateManifestText('m.yaml', text);
  const shown = diagnostics.filter((d) => options.withInfo === true || d.severity !== 'info');
  const want = expected.map((e) => {
    const pos = positionOf(text, e.at, e.nth);
    return [e.code, pos.line, pos.column + (e.plus ?? 0)];
  });
  assert.deepEqual(
    shown.map((d) => [d.code, d.line, d.column]),
    want,
    shown.map((d) => `${d.line}:${d.column} ${d.code}: ${d.message}`).join('\n'),
  );
  for (const d of shown) {
    assert.ok(d.message.length > 0, `${d.code} has a message`);
    if (d.code.startsWith('AIO_PIPELINE_')) assert.ok(d.hint !== undefined && d.hint.length > 0, `${d.code} has a hint`);
  }
  return shown;
}

describe('manifest rules: the base pipeline', () => {
  it('is valid, with no finding at all', () => {
    assert.deepEqual(validateManifestText('m.yaml', BASE).diagnostics, []);
  });
});

describe('manifest rules: structure (§1.6)', () => {
  it('duplicate node names', () => {
    const text = edit(
      CONNECTIONS,
      `    - nodeType: Destination\n      name: out\n      destinationSettings: { endpointRef: default, dataDestination: copy }\n${CONNECTIONS}`,
    );
    check(text, [{ code: 'AIO_PIPELINE_DUPLICATE_NODE', at: 'out', nth: 3 }]);
  });

  it('node names with characters other than letters, digits, _ and -', () => {
    const text = BASE.replaceAll('name: out', 'name: out@1');
    check(text, [{ code: 'AIO_PIPELINE_NODE_NAME', at: 'out@1' }]);
  });

  it('a connection into a source, and one out of a destination', () => {
    const extra =
      '    - nodeType: Source\n      name: other\n      sourceSettings: { endpointRef: default, dataSources: [b] }\n' +
      '    - nodeType: Destination\n      name: out2\n      destinationSettings: { endpointRef: default, dataDestination: c }\n';
    const text = edit(
      CONNECTIONS,
      `${extra}${CONNECTIONS}    - { from: { name: alerts }, to: { name: other } }\n    - { from: { name: out }, to: { name: out2 } }\n`,
    );
    check(text, [
      { code: 'AIO_PIPELINE_EDGE_KIND', at: 'other }' },
      { code: 'AIO_PIPELINE_EDGE_KIND', at: 'out }, to: { name: out2' },
    ]);
  });

  it('a cycle, reported at the connection that closes it', () => {
    const text = edit(CONNECTIONS, `${CONNECTIONS}    - { from: { name: merge }, to: { name: alerts } }\n`);
    const [cycle] = check(text, [{ code: 'AIO_PIPELINE_CYCLE', at: 'alerts }' }]);
    assert.match(cycle!.message, /closes a loop: alerts → merge → alerts/);
  });

  it('a self-loop', () => {
    const text = edit(CONNECTIONS, `${CONNECTIONS}    - { from: { name: alerts }, to: { name: alerts } }\n`);
    check(text, [{ code: 'AIO_PIPELINE_SELF_LOOP', at: 'alerts } }' }]);
  });

  it('a missing node, with a did-you-mean', () => {
    const text = edit('to: { name: merge } }\n    - { from: { name: check.output.false', 'to: { name: marge } }\n    - { from: { name: check.output.false');
    const [missing] = check(text, [{ code: 'AIO_PIPELINE_UNKNOWN_NODE', at: 'marge' }]);
    assert.equal(missing!.hint, 'did you mean "merge"?');
  });

  it('a connection that enters a node through a port', () => {
    const text = edit('to: { name: out } }', 'to: { name: out.in } }');
    const [port] = check(text, [{ code: 'AIO_PIPELINE_UNKNOWN_NODE', at: 'out.in' }]);
    assert.equal(port!.hint, 'a connection enters a node by its bare name: write "out"');
  });

  it('a branch wired without .output.true/.output.false', () => {
    const text = edit('name: check.output.true', 'name: check');
    check(text, [{ code: 'AIO_PIPELINE_BRANCH_PORT_MISSING', at: 'check }, to: { name: alerts' }]);
  });

  it('a branch output other than output.true/output.false', () => {
    const text = edit('name: check.output.true', 'name: check.output.yes');
    check(text, [{ code: 'AIO_PIPELINE_UNKNOWN_PORT', at: 'check.output.yes' }]);
  });

  it('a port on a single-output node', () => {
    const text = edit('{ from: { name: alerts }', '{ from: { name: alerts.output }');
    check(text, [{ code: 'AIO_PIPELINE_PORT_ON_SINGLE_OUTPUT', at: 'alerts.output' }]);
  });

  it('accepts a WASM graph sink as a port (<node>.<sink>)', () => {
    const text = edit(
      '{ from: { name: alerts }',
      '{ from: { name: alerts.alert-output }',
      edit('artifact: azureiotoperations/graph-dataflow-map:1.0.0', 'artifact: my-graph:1.0.0'),
    );
    check(text, []);
  });

  it('a destination whose static topic a source on the same endpoint reads', () => {
    const text = edit('dataSources: [telemetry/sensors]', 'dataSources: [$share/group/telemetry/#]');
    const [loop] = check(text, [{ code: 'AIO_PIPELINE_TOPIC_LOOP', at: 'telemetry/processed' }]);
    assert.match(loop!.message, /source sensors reads through "\$share\/group\/telemetry\/#"/);
  });

  it('no loop when the destination is on another endpoint', () => {
    const text = edit(
      'dataDestination: telemetry/processed',
      'dataDestination: telemetry/processed\n        endpointRef: kafka',
      edit('        endpointRef: default\n        dataDestination', '        dataDestination'),
    );
    check(text, [{ code: 'AIO_PIPELINE_ENDPOINT_NOT_LOCAL', at: 'kafka' }], { withInfo: true });
  });

  it('warns on a schemaRef that is not aio-sr://', () => {
    const text = edit('{ from: { name: sensors }', '{ from: { name: sensors, schema: { serializationFormat: Json, schemaRef: sensor-input-schema:1 } }');
    check(text, [{ code: 'AIO_PIPELINE_SCHEMA_REF', at: 'sensor-input-schema:1' }]);
  });

  it('warns when a branch arm reaches a destination without a concatenate', () => {
    const text = edit('{ from: { name: alerts }, to: { name: merge } }', '{ from: { name: alerts }, to: { name: out } }');
    const [unmerged] = check(text, [{ code: 'AIO_PIPELINE_BRANCH_UNMERGED', at: 'check.output.true' }]);
    assert.match(unmerged!.message, /arm output.true of branch check reaches destination out/);
  });

  it('configuration keys with other characters, and repeated keys', () => {
    const wasm = edit('artifact: azureiotoperations/graph-dataflow-map:1.0.0', 'artifact: my-graph:1.0.0');
    const text = edit(
      '          - key: rules\n            value: |\n              {\n',
      '          - key: upper bound\n            value: "1"\n          - key: rules\n            value: "2"\n          - key: rules\n            value: |\n              {\n',
      wasm,
    );
    check(text, [
      { code: 'AIO_PIPELINE_CONFIG_KEY', at: 'upper bound' },
      { code: 'AIO_PIPELINE_DUPLICATE_CONFIG_KEY', at: 'key: rules', nth: 2, plus: 5 },
    ]);
  });

  it('a wildcard in a destination topic', () => {
    const text = edit('dataDestination: telemetry/processed', 'dataDestination: processed/+/all');
    check(text, [{ code: 'AIO_PIPELINE_DESTINATION_WILDCARD', at: 'processed/+/all' }]);
  });

  it('${outputTopic} where a path from the source passes no map writing $metadata.topic', () => {
    const text = edit('dataDestination: telemetry/processed', 'dataDestination: factory/${outputTopic}');
    check(text, [{ code: 'AIO_PIPELINE_OUTPUT_TOPIC_UNSET', at: 'factory/${outputTopic}' }]);
    // With the map writing the topic on both arms (the false arm now runs through it as well), nothing is said.
    const written = edit(
      ALERT_RULES,
      `${ALERT_RULES},\n                  {"inputs": [], "output": "$metadata.topic", "expression": "\\"alerts\\""}`,
      edit('{ from: { name: check.output.false }, to: { name: merge } }', '{ from: { name: check.output.false }, to: { name: alerts } }', text),
    );
    check(written, []);
  });

  it('notes endpoints other than default: valid, not runnable locally', () => {
    const text = edit('        endpointRef: default\n        dataSources', '        endpointRef: kafka-in\n        dataSources');
    const [note] = check(text, [{ code: 'AIO_PIPELINE_ENDPOINT_NOT_LOCAL', at: 'kafka-in' }], { withInfo: true });
    assert.equal(note!.severity, 'info');
    assert.match(note!.message, /source sensors uses endpoint "kafka-in"/);
  });

  it('a graph without a source or a destination', () => {
    const text = `apiVersion: connectivity.iotoperations.azure.com/v1\nkind: DataflowGraph\nmetadata:\n  name: empty\nspec:\n  nodes: []\n  nodeConnections: []\n`;
    check(text, [
      { code: 'AIO_PIPELINE_NO_DESTINATION', at: 'nodes' },
      { code: 'AIO_PIPELINE_NO_SOURCE', at: 'nodes' },
    ]);
  });
});

describe('manifest rules: the resource (§1.2, §1.3, §1.7.3, §1.9)', () => {
  it('warns on profileRef inside ARM properties, and accepts debugging', () => {
    const text = armResource('2026-11-01-preview', { profileRef: 'my-profile', debugging: 'Enabled' });
    check(text, [{ code: 'AIO_PIPELINE_PROFILE_REF', at: '"my-profile"' }]);
  });

  it('a field newer than the declared ARM apiVersion', () => {
    const withHeaders = edit(
      '        dataDestination: telemetry/processed\n',
      '        dataDestination: telemetry/processed\n        headers: [{ actionType: AddOrReplace, key: site, value: a }]\n',
    );
    check(armResource('2025-07-01-preview', {}, withHeaders), [{ code: 'AIO_PIPELINE_FIELD_VERSION', at: '"headers"' }]);
    check(armResource('2025-10-01', {}, withHeaders), []);
    const stores = { fileStores: [{ id: 'models', persistentVolumeClaimRef: 'model-pvc' }] };
    const [store] = check(armResource('2026-10-01', stores), [{ code: 'AIO_PIPELINE_FIELD_VERSION', at: '"fileStores"' }]);
    assert.match(store!.hint!, /2026-11-01-preview/);
    check(armResource('2026-11-01-preview', stores), []);
    const withSchema = edit(
      '        dataDestination: telemetry/processed\n',
      '        dataDestination: telemetry/processed\n        outputSchemaSettings: { serializationFormat: Parquet }\n',
    );
    check(armResource('2026-03-01', {}, withSchema), [{ code: 'AIO_PIPELINE_FIELD_VERSION', at: '"outputSchemaSettings"' }]);
    check(armResource('2026-10-01', {}, withSchema), []);
  });

  it('an apiVersion without DataflowGraph, and an unknown one', () => {
    check(armResource('2025-04-01'), [{ code: 'AIO_PIPELINE_API_VERSION', at: '"2025-04-01"' }]);
    const [unknown] = check(armResource('2027-01-01'), [{ code: 'AIO_PIPELINE_API_VERSION', at: '"2027-01-01"' }]);
    assert.equal(unknown!.severity, 'warning');
  });

  it('the Kubernetes CR takes the union of all fields', () => {
    const text = edit(
      '        dataDestination: telemetry/processed\n',
      '        dataDestination: telemetry/processed\n        headers: [{ actionType: Remove, key: debug }]\n        outputSchemaSettings: { serializationFormat: Delta }\n',
    );
    check(text, []);
  });

  it('mode and requestDiskPersistence values, and mode Disabled', () => {
    const text = edit('spec:\n', 'spec:\n  mode: Disabled\n  requestDiskPersistence: Sometimes\n');
    check(
      text,
      [
        { code: 'AIO_PIPELINE_MODE_DISABLED', at: 'Disabled' },
        { code: 'AIO_PIPELINE_SWITCH_VALUE', at: 'Sometimes' },
      ],
      { withInfo: true },
    );
  });

  it('a graph name Azure rejects', () => {
    const [name] = check(edit('name: rules-test', 'name: Rules_Test'), [{ code: 'AIO_PIPELINE_NAME', at: 'Rules_Test' }]);
    assert.equal(name!.severity, 'warning');
  });

  it('unknown header actions, and repeated ones', () => {
    const text = edit(
      '        dataDestination: telemetry/processed\n',
      '        dataDestination: telemetry/processed\n        headers:\n          - { actionType: Replace, key: a, value: b }\n          - { actionType: Remove, key: a }\n          - { actionType: Remove, key: c }\n',
    );
    check(text, [
      { code: 'AIO_PIPELINE_HEADER_ACTION', at: 'Replace' },
      { code: 'AIO_PIPELINE_HEADER_ACTION_REPEATED', at: 'Remove', nth: 1 },
    ]);
  });

  it('file stores: repeated ids, claim names, subPath', () => {
    const text = edit(
      CONNECTIONS,
      `${CONNECTIONS.replace('nodeConnections', 'fileStores')}    - { id: models, persistentVolumeClaimRef: Model_PVC }\n    - { id: models, persistentVolumeClaimRef: ok, subPath: ../up }\n${CONNECTIONS}`,
    );
    check(text, [
      { code: 'AIO_PIPELINE_FILE_STORE', at: 'Model_PVC' },
      { code: 'AIO_PIPELINE_FILE_STORE', at: 'models', nth: 1 },
      { code: 'AIO_PIPELINE_FILE_STORE', at: '../up' },
    ]);
  });
});

describe('manifest rules: built-in configurations at the line:column inside the value', () => {
  const filterNode = (rules: string): string =>
    edit(
      '    - nodeType: Graph\n      name: merge\n',
      `    - nodeType: Graph\n      name: screen\n      graphSettings:\n        registryEndpointRef: default\n        artifact: azureiotoperations/graph-dataflow-filter:1.0.0\n        configuration:\n          - key: rules\n            value: |\n              ${rules}\n    - nodeType: Graph\n      name: merge\n`,
      edit(
        '{ from: { name: sensors }, to: { name: check } }',
        '{ from: { name: sensors }, to: { name: screen } }\n    - { from: { name: screen }, to: { name: check } }',
      ),
    );

  it('bad JSON in a rule', () => {
    const text = edit('"expression": "$1 > 5"}}', '"expression": "$1 > 5"}');
    // "End of text" is right after the last character written, not after the block's final line break.
    const [bad] = check(text, [{ code: 'AIO_BUILTIN_JSON_SYNTAX', at: '"$1 > 5"}', plus: 9 }]);
    assert.match(bad!.message, /^node check: the value of `rules` is not valid JSON/);
  });

  it('an unknown key in a rule', () => {
    const text = edit(ALERT_RULES, ALERT_RULES.replace('}', ', "descripton": "always"}'));
    const [unknown] = check(text, [{ code: 'AIO_BUILTIN_UNKNOWN_MEMBER', at: '"descripton"' }]);
    assert.match(unknown!.hint!, /description/);
  });

  it('an expression syntax error', () => {
    check(filterNode('{"filter": [{"inputs": ["temperature"], "expression": "$1 > "}]}'), [{ code: 'AIO_BUILTIN_EXPR_SYNTAX', at: '$1 > "', plus: 5 }]);
  });

  it('an unknown function', () => {
    const [fn] = check(filterNode('{"filter": [{"inputs": ["temperature"], "expression": "lenn($1) > 4"}]}'), [
      { code: 'AIO_BUILTIN_EXPR_UNKNOWN_FUNCTION', at: 'lenn($1)' },
    ]);
    assert.match(fn!.hint!, /did you mean "len"/);
  });

  it('an aggregation outside a window', () => {
    check(filterNode('{"filter": [{"inputs": ["temperature"], "expression": "average($1) > 4"}]}'), [
      { code: 'AIO_BUILTIN_EXPR_AGGREGATION_PLACE', at: 'average' },
    ]);
  });

  it('a wildcard in a filter input', () => {
    check(filterNode('{"filter": [{"inputs": ["sensors.*"], "expression": "$1 > 4"}]}'), [{ code: 'AIO_BUILTIN_PATH_WILDCARD', at: 'sensors.*', plus: 8 }]);
  });

  it('$7 in a rule with two inputs', () => {
    check(filterNode('{"filter": [{"inputs": ["a", "b"], "expression": "$1 > $7"}]}'), [{ code: 'AIO_BUILTIN_EXPR_INPUT_RANGE', at: '$7' }]);
  });

  it('the same findings inside an escaped JSON string of an ARM resource', () => {
    const yaml = filterNode('{"filter": [{"inputs": ["a", "b"], "expression": "$1 > $7"}]}');
    const json = armResource('2026-10-01', {}, yaml);
    check(json, [{ code: 'AIO_BUILTIN_EXPR_INPUT_RANGE', at: '$7' }]);
    const unknown = armResource('2026-10-01', {}, edit(ALERT_RULES, ALERT_RULES.replace('}', ', "descripton": "always"}')));
    check(unknown, [{ code: 'AIO_BUILTIN_UNKNOWN_MEMBER', at: '\\"descripton\\"' }]);
  });
});

describe('manifest rules: no false alarms on the docs’ whole graphs', () => {
  const examples = JSON.parse(readFileSync(fixture('builtins', 'builtin-examples.json'), 'utf8')) as Array<{ id: string; graph?: unknown }>;
  const graphs = examples.filter((e) => e.graph !== undefined);

  it('has the worked examples that are whole graphs', () => {
    assert.ok(graphs.length >= 3, `found ${graphs.length}`);
  });

  for (const example of graphs) {
    it(`${example.id} validates without a finding, as the bare properties JSON`, () => {
      assert.deepEqual(validateManifestText(`${example.id}.json`, JSON.stringify(example.graph, null, 2)).diagnostics, []);
    });
  }
});
