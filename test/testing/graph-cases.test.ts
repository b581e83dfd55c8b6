import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { useSharedCache } from '../helpers/components.js';
import { copyExample } from '../helpers/examples.js';
import { repoRoot } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';

const FIXTURES = join(repoRoot, 'test', 'fixtures', 'components', 'build');

/** The hand-made conformance component: map refuses payloads starting "error" and traps on "trap". */
const GRAPH = `metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: cases, version: "1.0.0" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: conformance/map, module: "conformance-wat:1.0.0" }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: conformance/map } }
  - { from: { name: conformance/map }, to: { name: sink } }
`;

interface Report {
  passed: number;
  failed: number;
  cases: Array<{
    name: string;
    status: string;
    reason?: string;
    mismatches: Array<{ path: string }>;
    actual?: { sink: Array<{ payload: unknown; at: number }> };
  }>;
}

async function casesWorkspace(dir: string, cases: string): Promise<string> {
  await writeFile(join(dir, 'graph.yaml'), GRAPH);
  const file = join(dir, 'map.cases.yaml');
  await writeFile(file, `graph: graph.yaml\ncases:\n${cases}`);
  return file;
}

const test = (file: string, ...extra: string[]) => runCli(['test', file, '--modules', FIXTURES, ...extra]);

describe('aio test: the *.cases.yaml format', () => {
  before(() => useSharedCache());

  it('out-of-order input gives the same window results as ordered input, and --update writes them', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const file = join(ws, 'tests', 'order.cases.yaml');
      const reading = (at: number, f: number) => `      - { at: ${at}, payload: { temperature: { value: ${f}, unit: F } } }\n`;
      const readings: Array<[number, number]> = [
        [1000, 50],
        [4000, 68],
        [9000, 86],
        [12000, 77],
        [18000, 59],
        [25000, 95],
      ];
      const shuffled = [readings[2]!, readings[0]!, readings[1]!, readings[4]!, readings[3]!, readings[5]!];
      await writeFile(
        file,
        `# comments survive --update\ngraph: ../graph.dataflow.yaml\ncases:\n` +
          `  - name: ordered\n    input:\n${readings.map(([a, f]) => reading(a, f)).join('')}    expect: { sink: [] }\n` +
          `  - name: shuffled within each window\n    input:\n${shuffled.map(([a, f]) => reading(a, f)).join('')}    expect: { sink: [] }\n`,
      );
      const failing = await runCli(['test', file, '--json']);
      assert.equal(failing.code, 3);
      const updated = await runCli(['test', file, '--update']);
      assert.equal(updated.code, 0, updated.stdout + updated.stderr);
      const text = await readFile(file, 'utf8');
      assert.match(text, /^# comments survive --update/);
      const rewritten = parse(text) as { cases: Array<{ expect: { sink: unknown[] } }> };
      const [ordered, shuffledSink] = rewritten.cases.map((c) => c.expect.sink);
      assert.equal(ordered!.length, 3, 'three windows: [0,10), [10,20), [20,30)');
      assert.deepEqual(shuffledSink, ordered);
      assert.deepEqual(ordered![0], { payload: { count: 3, min: 10, max: 30, sum: 60, average: 20 } });
      const again = await runCli(['test', file, '--json']);
      assert.equal(again.code, 0, again.stdout);
      assert.equal((JSON.parse(again.stdout) as Report).passed, 2);
    });
  });

  it('a wrong expectation fails with the path, expected and actual value; taps see intermediate connections', async () => {
    await withTempDir(async (dir) => {
      const file = await casesWorkspace(
        dir,
        `  - name: upper-cases payloads
    input:
      - { at: 5, payload: "abc", topic: line/1 }
    expect:
      taps:
        source -> conformance/map: [{ payload: "abc", topic: line/1, at: 5 }]
      sink: [{ payload: "ABD" }]
`,
      );
      const r = await test(file);
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.match(r.stdout, /✗ upper-cases payloads \(.*map\.cases\.yaml:3\)/);
      assert.match(r.stdout, /at expect\.sink\[0\]\.payload:\n\s+- expected "ABD"\n\s+\+ actual +"ABC"/);
      assert.doesNotMatch(r.stdout, /expect\.taps/, 'the tap matched');
      assert.ok(!looksLikeStackTrace(r.stdout + r.stderr));
    });
  });

  it('a module error fails a case that does not expect it, and passes one that does', async () => {
    await withTempDir(async (dir) => {
      const file = await casesWorkspace(
        dir,
        `  - name: errors are not silently fine
    input: [{ payload: "error-1" }, { payload: "ok" }]
    expect: { sink: [{ payload: "OK" }] }
  - name: an expected error and an expected trap
    input: [{ payload: "error-1", at: 1 }, { payload: "trap", at: 2 }, { payload: "ok", at: 3 }]
    expect:
      sink: [{ payload: "OK", at: 3 }]
      errors:
        - { operation: conformance/map, reason: "refused: error-1", at: 1 }
        - { operation: conformance/map, reason: trapped, at: 2 }
`,
      );
      const r = await test(file, '--json');
      const report = JSON.parse(r.stdout) as Report;
      assert.equal(r.code, 3);
      assert.deepEqual(
        report.cases.map((c) => c.status),
        ['failed', 'passed'],
      );
      assert.deepEqual(
        report.cases[0]!.mismatches.map((m) => m.path),
        ['expect.errors[+]'],
      );
    });
  });

  it('a timeout fails the case; an unknown tap and a malformed file are reported at their line:column', async () => {
    await withTempDir(async (dir) => {
      const file = await casesWorkspace(dir, `  - name: slow\n    input: [{ payload: "a" }]\n    expect: { sink: [] }\n`);
      await writeFile(file, (await readFile(file, 'utf8')).replace('graph: graph.yaml\n', 'graph: graph.yaml\ntimeout: 0.001\n'));
      const slow = await test(file);
      assert.equal(slow.code, 3);
      assert.match(slow.stdout, /timed out after 0\.001 ms with 0 of 1 inputs processed/);

      await casesWorkspace(dir, `  - name: tap\n    input: [{ payload: "a" }]\n    expect:\n      taps:\n        source -> sink: []\n`);
      const tap = await test(file);
      assert.equal(tap.code, 3);
      assert.match(
        tap.stdout,
        /map\.cases\.yaml:7:9: AIO_TEST_UNKNOWN_TAP: tap "source -> sink" names no connection .*the connections are: source -> conformance\/map, conformance\/map -> sink/,
      );

      await casesWorkspace(dir, `  - name: typo\n    input: [{ payload: "a", tpoic: x }]\n    expect: { sink: [] }\n`);
      const bad = await test(file);
      assert.equal(bad.code, 3);
      assert.match(
        bad.stderr,
        /map\.cases\.yaml:4:29: error AIO_SCHEMA_UNKNOWN_KEY: unknown key "tpoic" in cases\[0\]\.input\[0\] \(hint: did you mean "topic"\?\)/,
      );
      assert.ok(!looksLikeStackTrace(bad.stdout + bad.stderr));
    });
  });

  it('the README’s *.cases.yaml example passes against the thermostat example', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
      const block = /```yaml\n(graph: \.\.\/graph\.dataflow\.yaml\n[\s\S]*?)```/.exec(readme);
      assert.ok(block, 'the README shows a cases file');
      const file = join(ws, 'tests', 'readme.cases.yaml');
      await writeFile(file, block[1]!);
      const r = await runCli(['test', file, '--json']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal((JSON.parse(r.stdout) as Report).passed, 1);
    });
  });

  it('aio test schema prints the format’s JSON Schema', async () => {
    const r = await runCli(['test', 'schema']);
    assert.equal(r.code, 0, r.stderr);
    const schema = JSON.parse(r.stdout) as { required: string[]; properties: { cases: { items: { properties: Record<string, unknown> } } } };
    assert.deepEqual(schema.required, ['graph', 'cases']);
    assert.deepEqual(Object.keys(schema.properties.cases.items.properties), ['name', 'parameters', 'stateStore', 'input', 'expect']);
  });
});
