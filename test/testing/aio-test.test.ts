import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { useSharedCache } from '../helpers/components.js';
import { copyExample } from '../helpers/examples.js';
import { repoRoot } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';

describe('aio test', () => {
  before(() => useSharedCache());

  it("passes the examples' test cases and reports them as JSON", async () => {
    const result = await runCli(['test', join(repoRoot, 'examples'), '--json']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout) as { passed: number; failed: number; cases: Array<{ name: string; status: string }> };
    assert.equal(report.failed, 0);
    const names = report.cases.map((c) => c.name);
    assert.ok(names.includes('enrichment adds state store values; the schema rejects the malformed reading'));
    assert.ok(names.includes('thermostat window statistics'), 'the AIO descriptor format');
    assert.ok(names.includes('readings out of order within a window give the same statistics as in order'), 'aio’s own format');
    assert.equal(report.passed, names.length);
  });

  it('fails a wrong expectation with the path, expected and actual value of each mismatch, and exits 3', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const expectedFile = join(ws, 'tests', 'window.expected.json');
      await writeFile(expectedFile, (await readFile(expectedFile, 'utf8')).replace('"max": 30', '"max": 31'));
      const result = await runCli(['test', join(ws, 'tests', 'window.test.yaml')]);
      assert.equal(result.code, 3);
      assert.match(result.stdout, /✗ thermostat window statistics/);
      assert.match(result.stdout, /sink output differs from .*window\.expected\.json \(expected 2 sink message\(s\), got 2\)/);
      assert.match(result.stdout, /at \$\[1\]\.payload\.max:\n\s+- expected 31\n\s+\+ actual +30/);
      assert.match(result.stdout, /FAILED: 1 case\(s\), 0 passed, 1 failed/);
      assert.ok(!looksLikeStackTrace(result.stdout + result.stderr));
    });
  });

  it('--update rewrites the expectation from the actual output, and the case then passes', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const expectedFile = join(ws, 'tests', 'window.expected.json');
      const original = await readFile(expectedFile, 'utf8');
      await writeFile(expectedFile, '[]\n');
      const descriptor = join(ws, 'tests', 'window.test.yaml');
      assert.equal((await runCli(['test', descriptor])).code, 3);
      const updated = await runCli(['test', descriptor, '--update']);
      assert.equal(updated.code, 0, updated.stdout);
      assert.match(updated.stdout, /expectations rewritten/);
      assert.equal(await readFile(expectedFile, 'utf8'), original);
      assert.equal((await runCli(['test', descriptor])).code, 0);
    });
  });

  it('fails a case that runs past its timeout', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const descriptor = join(ws, 'tests', 'window.test.yaml');
      await writeFile(descriptor, (await readFile(descriptor, 'utf8')).replace('timeout: 30000', 'timeout: 0.001'));
      const result = await runCli(['test', descriptor]);
      assert.equal(result.code, 3);
      assert.match(result.stdout, /timed out after 0\.001 ms/);
    });
  });

  it('writes JUnit XML for CI systems', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const expectedFile = join(ws, 'tests', 'window.expected.json');
      await writeFile(expectedFile, (await readFile(expectedFile, 'utf8')).replace('"count": 3', '"count": 4'));
      const xmlFile = join(dir, 'results.xml');
      const result = await runCli(['test', join(ws, 'tests', 'window.test.yaml'), '--reporter', 'junit', '--output', xmlFile]);
      assert.equal(result.code, 3);
      const xml = await readFile(xmlFile, 'utf8');
      assert.match(xml, /<testsuites tests="1" failures="1" errors="0"/);
      assert.match(xml, /<testcase classname=".*window\.test\.yaml" name="thermostat window statistics" time="[\d.]+">/);
      assert.match(xml, /<failure message="sink output differs from .*">.*at \$\[1\]\.payload\.count:/s);
    });
  });

  it('reports a malformed descriptor with its position', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'bad.test.yaml');
      await writeFile(file, 'name: bad\ngraph: graph.yaml\ninput: data\nexpected: out.json\nselekt: [payload]\n');
      const result = await runCli(['test', file]);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /bad\.test\.yaml:5:\d+: error AIO_TEST_BAD_DESCRIPTOR: selekt: unknown key selekt/);
    });
  });
});

describe('aio test names what happened inside the graph', () => {
  it('a failing descriptor case lists the drops and module errors of its run, also under --json', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('enrichment', dir);
      await writeFile(join(ws, 'tests', 'enrich.expected.json'), '[]\n');
      const human = await runCli(['test', join(ws, 'tests', 'enrich.test.yaml')]);
      assert.equal(human.code, 3);
      assert.match(human.stdout, /inside the graph:\n {6}source: dropped item \S+: payload does not match reading\.schema\.json/);
      const json = await runCli(['test', join(ws, 'tests', 'enrich.test.yaml'), '--json']);
      const result = JSON.parse(json.stdout) as { cases: Array<{ inside?: string[] }> };
      assert.equal(result.cases[0]!.inside!.length, 1);
    });
  });
});

describe('aio test compares as the AIO test runner does', () => {
  it('one expected object is the last sink message; a list is all of them in order; [] is none', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('enrichment', dir);
      const expected = join(ws, 'tests', 'enrich.expected.json');
      const all = JSON.parse(await readFile(expected, 'utf8')) as unknown[];
      assert.equal(all.length, 2, 'the example sends two messages to the sink');
      const run = async (content: unknown): Promise<number> => {
        await writeFile(expected, JSON.stringify(content));
        return (await runCli(['test', join(ws, 'tests', 'enrich.test.yaml')])).code;
      };
      assert.equal(await run(all.at(-1)), 0, 'the last message, as one object');
      assert.equal(await run(all[0]), 3, 'the first is not the last');
      assert.equal(await run(all), 0, 'all of them in order');
      assert.equal(await run([...all].reverse()), 3, 'order matters');
      assert.equal(await run([]), 3, '[] means no output, and there is output');
    });
  });
});

describe('input files arrive at distinct times', () => {
  it('a delay that aligns to a window boundary keeps every file (the i-th file is i ms after the start)', async () => {
    await withTempDir(async (dir) => {
      assert.equal((await runCli(['init', 'ws', '--lang', 'js', '--operator', 'align', '--type', 'delay'], { cwd: dir })).code, 0);
      const ws = join(dir, 'ws');
      // Aligns up to the next 10 s boundary, or stays on one: with one instant for every file, the second file
      // (counter 1) would be moved before itself and refused.
      await writeFile(
        join(ws, 'operators', 'align', 'src', 'index.js'),
        `import { defineDelay } from 'aio-graph-cli/sdk';
export const delay = defineDelay({
  process(_message, t) {
    const ms = t.secs * 1000 + Math.floor(t.nanos / 1e6);
    const end = Math.ceil(ms / 10000) * 10;
    return { secs: end, nanos: 0, counter: 0, nodeId: 'align' };
  },
});
`,
      );
      for (const i of [2, 3]) await writeFile(join(ws, 'data', `message${i}.json`), JSON.stringify({ value: i, unit: 'C' }));
      await writeFile(join(ws, 'tests', 'align.expected.json'), JSON.stringify([1, 2, 3].map((i) => ({ payload: { value: i === 1 ? 42 : i, unit: 'C' } }))));
      assert.equal((await runCli(['build'], { cwd: ws })).code, 0);
      const test = await runCli(['test', '--json'], { cwd: ws });
      assert.equal(test.code, 0, test.stdout);
    });
  });
});
