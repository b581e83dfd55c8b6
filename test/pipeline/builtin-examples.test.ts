/**
 * Every worked example of the AIO docs (test/fixtures/builtins/builtin-examples.json) as a user would check it: a
 * DataflowGraph manifest built from it (a Kubernetes CR; every third one the ARM template instead), a
 * `*.cases.yaml` beside it, and `aio test` (its service, in process) giving the example's `expected` output, or
 * its `alternativeExpected` under the other reading of what the docs leave open (--map-overlap move,
 * --window-limit full).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { DEFAULT_BUILTIN_OPTIONS, type BuiltinOptions } from '../../src/builtins/builtin-transform.js';
import { DEFAULT_RUN_LIMITS } from '../../src/run/run-limits.js';
import { runTests } from '../../src/testing/run-tests.js';
import { repoRoot } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';

interface ExampleMessage {
  topic?: string;
  payload: unknown;
  userProperties?: Record<string, string>;
  atMs?: number;
  from?: string;
  output?: string;
}

interface Example {
  id: string;
  transform: string;
  artifact: string | null;
  configuration: Array<{ key: string; value: string }> | null;
  graph?: { nodes: unknown[]; nodeConnections: unknown[] };
  stateStore?: Record<string, string>;
  input: ExampleMessage[];
  expected: ExampleMessage[] | 'dropped';
  alternativeExpected?: ExampleMessage[] | 'dropped';
  closedBy?: string;
}

const EXAMPLES = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/builtins/builtin-examples.json'), 'utf8')) as Example[];

const source = (name: string, topics: string[]) => ({ nodeType: 'Source', name, sourceSettings: { endpointRef: 'default', dataSources: topics } });
const destination = (name: string) => ({ nodeType: 'Destination', name, destinationSettings: { endpointRef: 'default', dataDestination: `out/${name}` } });
const edge = (from: string, to: string) => ({ from: { name: from }, to: { name: to } });

/** The example's DataflowGraph body: its own graph, or source(s) → the one transform → destination(s). */
function body(example: Example): { nodes: unknown[]; nodeConnections: unknown[] } {
  if (example.graph) return example.graph;
  const transform = {
    nodeType: 'Graph',
    name: 'transform',
    graphSettings: {
      registryEndpointRef: 'default',
      artifact: example.artifact,
      ...(example.configuration && example.configuration.length > 0 ? { configuration: example.configuration } : {}),
    },
  };
  const upstream = [...new Set(example.input.map((m) => m.from).filter((f): f is string => f !== undefined))];
  // The source takes exactly the example's input topics: a `#` would also read the destinations' output (a loop).
  const topics = [...new Set(example.input.map((m) => m.topic ?? 'telemetry'))];
  const sources = upstream.length > 0 ? upstream.map((name) => source(name, [`${name}/#`])) : [source('source', topics)];
  const arms = example.transform === 'branch' ? ['output.true', 'output.false'] : [undefined];
  const outs = arms.map((arm) => destination(arm === undefined ? 'sink' : arm.replace('output.', '')));
  return {
    nodes: [...sources, transform, ...outs],
    nodeConnections: [
      ...sources.map((s) => edge(s.name, 'transform')),
      ...arms.map((arm, i) => edge(arm === undefined ? 'transform' : `transform.${arm}`, outs[i]!.name)),
    ],
  };
}

function manifest(example: Example, index: number): { file: string; text: string } {
  const properties = body(example);
  if (index % 3 === 2) {
    const resource = {
      type: 'Microsoft.IoTOperations/instances/dataflowProfiles/dataflowGraphs',
      apiVersion: '2026-10-01',
      name: 'aio/default/example',
      properties,
    };
    return { file: 'example.arm.json', text: JSON.stringify({ contentVersion: '1.0.0.0', resources: [resource] }, null, 2) };
  }
  const cr = {
    apiVersion: 'connectivity.iotoperations.azure.com/v1',
    kind: 'DataflowGraph',
    metadata: { name: 'example' },
    spec: { profileRef: 'default', ...properties },
  };
  return { file: 'example.dataflowgraph.yaml', text: stringify(cr) };
}

/** A single-transform example's output is what crosses into its destination (a tap); a whole graph's is the sink. */
function cases(example: Example, graphFile: string, expected: ExampleMessage[] | 'dropped'): string {
  const input = example.input.map((m, i) => ({
    at: m.atMs ?? (i + 1) * 10,
    topic: m.from === undefined ? (m.topic ?? 'telemetry') : `${m.from}/${m.topic ?? 'telemetry'}`,
    payload: padded(m.payload),
    ...(m.userProperties ? { userProperties: m.userProperties } : {}),
  }));
  const wanted = expected === 'dropped' ? [] : expected;
  const shown = (m: ExampleMessage) => ({
    payload: m.payload,
    ...(m.topic !== undefined && example.transform !== 'concatenate' ? { topic: m.topic } : {}),
    ...(m.userProperties ? { userProperties: m.userProperties } : {}),
  });
  let expect: Record<string, unknown>;
  if (example.graph) expect = { sink: wanted.map(shown) };
  else if (example.transform === 'branch') {
    expect = {
      taps: Object.fromEntries(['true', 'false'].map((arm) => [`transform -> ${arm}`, wanted.filter((m) => m.output === `output.${arm}`).map(shown)])),
    };
  } else expect = { taps: { 'transform -> sink': wanted.map(shown) } };
  if (DROPPED_BY_ERROR.has(example.id)) expect['errors'] = example.input.map(() => ({ operation: 'transform' }));
  const stateStore = example.stateStore ? { stateStore: example.stateStore } : {};
  return stringify({ graph: graphFile, ...stateStore, cases: [{ name: example.id, input, expect }] });
}

/** The docs' memory example pads its payloads with "<large string>": 600 KB each, so two pass the 1 MiB limit. */
function padded(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || (payload as Record<string, unknown>)['payloadPad'] !== '<large string>') return payload;
  return { ...payload, payloadPad: 'x'.repeat(600_000) };
}

/**
 * The map overlap reading each example's `expected` follows. Copy-then-patch is aio's default (spec §3.1.5); ex07's
 * `expected` is the expressions page's claim that the specific rule overrides the wildcard, which is the input-based
 * ("move") reading, and its `alternativeExpected` the copy reading.
 */
const EXPECTED_UNDER_MOVE = new Set(['ex07-map-wildcard-override-specific']);

function readings(example: Example): { expected: BuiltinOptions; alternative: BuiltinOptions } {
  if (example.transform === 'window') return { expected: DEFAULT_BUILTIN_OPTIONS, alternative: { ...DEFAULT_BUILTIN_OPTIONS, windowLimitReading: 'B' } };
  const copy = DEFAULT_BUILTIN_OPTIONS;
  const move: BuiltinOptions = { ...DEFAULT_BUILTIN_OPTIONS, mapOverlap: 'move' };
  return EXPECTED_UNDER_MOVE.has(example.id) ? { expected: move, alternative: copy } : { expected: copy, alternative: move };
}

/** Examples whose message is dropped by an error (a missing field, a non-boolean filter result), not filtered out. */
const DROPPED_BY_ERROR = new Set(['ex27-filter-missing-field-error', 'ex28-filter-non-boolean-error']);

async function check(example: Example, index: number, expected: ExampleMessage[] | 'dropped', options: BuiltinOptions): Promise<void> {
  await withTempDir(async (dir) => {
    const { file, text } = manifest(example, index);
    await writeFile(join(dir, file), text);
    await writeFile(join(dir, 'example.cases.yaml'), cases(example, file, expected));
    // Duration windows close when the frontier passes their end; at the end of a case's input that is when
    // --flush-windows emits what is still open, as a window whose time has come.
    const flush = example.transform === 'window' || (example.closedBy ?? '').length > 0;
    const run = await runTests({
      paths: [dir],
      moduleDirs: [],
      update: false,
      limits: DEFAULT_RUN_LIMITS,
      builtinOptions: { ...options, flushWindowsAtEnd: flush },
    });
    const [result] = run.cases;
    assert.equal(
      result?.status,
      'passed',
      `${example.id}: ${result?.reason ?? ''}\n${JSON.stringify(result?.mismatches ?? [], null, 1)}\n${JSON.stringify(result?.actual ?? {}, null, 1)}`,
    );
  });
}

describe('the AIO docs’ worked examples, each through aio test on a DataflowGraph manifest', () => {
  it('the fixture holds all 37 examples', () => assert.equal(EXAMPLES.length, 37));
  for (const [index, example] of EXAMPLES.entries()) {
    it(`${example.id}: expected`, () => check(example, index, example.expected, readings(example).expected));
    if (example.alternativeExpected !== undefined) {
      it(`${example.id}: alternativeExpected under the other reading`, () =>
        check(example, index, example.alternativeExpected!, readings(example).alternative));
    }
  }
});
