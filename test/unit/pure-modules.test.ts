/**
 * In-process unit tests of pure modules that were reached only by spawning the CLI: parameters, topic filters,
 * test comparison, the provisioning resource list, registry hosts and operator names.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AioError } from '../../src/errors.js';
import { validateGraphText } from '../../src/graph/validate.js';
import { exampleTopic, isValidFilter, topicMatches } from '../../src/util/topic-filter.js';
import { flatConfiguration, parseConfigurationParameters, parseParamFlags, resolveParameters } from '../../src/run/parameters.js';
import { diff, reduce } from '../../src/testing/compare.js';
import { provisionedResources } from '../../src/deploy/render/provision.js';
import { registryHostOf } from '../../src/util/registry-host.js';
import { assertOperatorName } from '../../src/workspace/operator-name.js';
import { initialGraph } from '../../src/scaffold/graph-scaffold.js';

const graph = (() => {
  const text = `${initialGraph('ws', 'scale', 'map')}`.replace(
    '        default: "2"\n',
    '        default: "2"\n      factor:\n        name: factor\n        required: true\n',
  );
  const validation = validateGraphText('graph.dataflow.yaml', text);
  assert.ok(validation.graph, JSON.stringify(validation.diagnostics));
  return validation.graph;
})();

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AioError) return `${error.code}:${error.exit}`;
    throw error;
  }
  return 'no error';
};

describe('parameters', () => {
  it('--param splits at the last dot, so operation names may hold dots and slashes', () => {
    const overrides = parseParamFlags(['module-a.v2/map.scale=3', 'module-a.v2/map.x=a=b']);
    assert.deepEqual(
      [...overrides.get('module-a.v2/map')!],
      [
        ['scale', '3'],
        ['x', 'a=b'],
      ],
    );
    assert.equal(
      code(() => parseParamFlags(['scale=3'])),
      'AIO_EMULATE_BAD_PARAM:2',
    );
    assert.equal(
      code(() => parseParamFlags(['module-a/map.'])),
      'AIO_EMULATE_BAD_PARAM:2',
    );
  });

  it('layers win in order: graph default < TK_CONFIGURATION_PARAMETERS < --param; flat keys reach their declarers', () => {
    const file = parseConfigurationParameters('{"scale": "5", "module-scale/map": {"factor": "7"}}', graph, 'hostapp.env.list');
    const resolved = resolveParameters(graph, [file, parseParamFlags(['module-scale/map.scale=9'])]);
    assert.deepEqual(Object.fromEntries(resolved.get('module-scale/map')!), { scale: '9', factor: '7' });
    const env = resolveParameters(graph, [flatConfiguration([{ key: 'factor', value: '1' }], graph)]);
    assert.deepEqual(Object.fromEntries(env.get('module-scale/map')!), { scale: '2', factor: '1' });
  });

  it('a required parameter without a value, an unknown operation and bad JSON are errors that say where', () => {
    assert.equal(
      code(() => resolveParameters(graph, [])),
      'AIO_EMULATE_MISSING_PARAMETER:3',
    );
    assert.match(
      (() => {
        try {
          resolveParameters(graph, [parseParamFlags(['module-scal/map.factor=1'])]);
        } catch (error) {
          return (error as AioError).hint ?? '';
        }
        return '';
      })(),
      /did you mean module-scale\/map\?/,
    );
    assert.equal(
      code(() => parseConfigurationParameters('{nope', graph, 'f')),
      'AIO_EMULATE_BAD_CONFIGURATION_PARAMETERS:3',
    );
    assert.equal(
      code(() => parseConfigurationParameters('[1]', graph, 'f')),
      'AIO_EMULATE_BAD_CONFIGURATION_PARAMETERS:3',
    );
  });
});

describe('MQTT topic filters', () => {
  it('matches as MQTT 5 does, $-topics included', () => {
    const cases: Array<[string, string, boolean]> = [
      ['sensors/#', 'sensors', true],
      ['sensors/#', 'sensors/a/b', true],
      ['sensors/+', 'sensors/a', true],
      ['sensors/+', 'sensors/a/b', false],
      ['+/a', '$SYS/a', false],
      ['#', '$SYS/x', false],
      ['$share/g/sensors/+', 'sensors/x', true],
      ['a/b', 'a/b/c', false],
    ];
    for (const [filter, topic, expected] of cases) assert.equal(topicMatches(filter, topic), expected, `${filter} ~ ${topic}`);
  });

  it('tells valid filters and gives an example topic for data-folder input', () => {
    assert.deepEqual(['a/#', '+/b', 'a/b#', 'a/#/b', 'a+/b', ''].map(isValidFilter), [true, true, false, false, false, false]);
    assert.deepEqual(['sensors/#', 'factory/+/telemetry', '#'].map(exampleTopic), ['sensors', 'factory/data/telemetry', 'data']);
  });
});

describe('aio test comparison', () => {
  it('reduces a sink message to select minus ignores, parsing a JSON payload', () => {
    const message = { topic: 't', payload: { a: 1, b: { c: 2, d: 3 } }, properties: { 'user-properties': { w: '10s', x: 'y' } } };
    assert.deepEqual(reduce(message, ['payload', 'properties.user-properties.w'], ['payload.b.d']), {
      payload: { a: 1, b: { c: 2 } },
      properties: { 'user-properties': { w: '10s' } },
    });
    assert.deepEqual(reduce({ topic: 't', payload: '{"a":1}' }, ['payload'], []), { payload: { a: 1 } }, 'a payload that is a JSON string is compared parsed');
  });

  it('names the path of every mismatch, missing and extra items included', () => {
    assert.deepEqual(diff([{ a: 1, b: [1, 2] }], [{ a: 2, b: [1] }, 'extra']), [
      { path: '$[0].a', expected: 1, actual: 2 },
      { path: '$[0].b[1]', expected: 2, actual: undefined },
      { path: '$[1]', expected: undefined, actual: 'extra' },
    ]);
    assert.deepEqual(diff({ x: [1] }, { x: [1] }), []);
  });
});

describe('small rules', () => {
  it('provision reports the resources its template creates', () => {
    assert.deepEqual(
      provisionedResources({ resources: [{ type: 'Microsoft.ContainerRegistry/registries' }, { type: 'Microsoft.Authorization/roleAssignments' }] }),
      ['Microsoft.ContainerRegistry/registries', 'Microsoft.Authorization/roleAssignments (AcrPull)'],
    );
  });

  it('one registry host normaliser', () => {
    assert.deepEqual(['https://myacr.azurecr.io/', 'http://127.0.0.1:5000', 'myacr.azurecr.io'].map(registryHostOf), [
      'myacr.azurecr.io',
      '127.0.0.1:5000',
      'myacr.azurecr.io',
    ]);
  });

  it('operator names: lowercase letters and digits, starting with a letter', () => {
    assert.equal(
      code(() => assertOperatorName('temp2')),
      'no error',
    );
    for (const bad of ['Temp', 'temp-2', 'temp_2', '2temp', ''])
      assert.equal(
        code(() => assertOperatorName(bad)),
        'AIO_OPERATOR_NAME_INVALID:2',
        bad,
      );
  });
});

describe('aio.yaml and rendering, in process', () => {
  it('loads the example project with its defaults and renders what the CLI snapshots hold', async () => {
    const { join } = await import('node:path');
    const { readFile } = await import('node:fs/promises');
    const { repoRoot } = await import('../helpers/paths.js');
    const { loadProject, selectEnvironment, selectGraph } = await import('../../src/project/load-project.js');
    const { loadValidGraph } = await import('../../src/graph/validate.js');
    const { planDeployment } = await import('../../src/deploy/plan.js');
    const { renderArmTemplate } = await import('../../src/deploy/render/arm.js');
    const { renderKubernetesYaml } = await import('../../src/deploy/render/kubernetes.js');
    const { checkDeployment } = await import('../../src/deploy/service-checks.js');
    const project = await loadProject(join(repoRoot, 'examples', 'thermostat', 'aio.yaml'), {});
    assert.deepEqual(
      [...project.environments.values()].map((e) => [e.name, e.target]),
      [
        ['local', 'emulator'],
        ['staging', 'kubernetes'],
        ['prod', 'arm'],
        ['pipeline-local', 'emulator'],
        ['pipeline-staging', 'kubernetes'],
        ['pipeline-prod', 'arm'],
      ],
    );
    const projectGraph = selectGraph(project, undefined);
    const { graph } = await loadValidGraph(projectGraph.file);
    const prod = planDeployment(project, projectGraph, graph, selectEnvironment(project, 'prod'));
    assert.deepEqual(
      checkDeployment(prod).filter((f) => f.severity === 'error'),
      [],
    );
    const snapshot = JSON.parse(await readFile(join(repoRoot, 'test', 'snapshots', 'render-prod.arm.json'), 'utf8')) as unknown;
    assert.deepEqual(JSON.parse(JSON.stringify(renderArmTemplate(prod))), snapshot);
    const staging = planDeployment(project, projectGraph, graph, selectEnvironment(project, 'staging'));
    assert.equal(renderKubernetesYaml(staging), await readFile(join(repoRoot, 'test', 'snapshots', 'render-staging.k8s.yaml'), 'utf8'));
  });
});
