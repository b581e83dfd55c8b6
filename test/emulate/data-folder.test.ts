import assert from 'node:assert/strict';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';
import { useSharedCache } from '../helpers/components.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { copyExample } from '../helpers/examples.js';

/** Output lines with the wall-clock parts (tst, host-assigned __ts) replaced, so runs compare with a file. */
function normalise(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) =>
      line
        .replace(/"tst":"[^"]+"/, '"tst":"<tst>"')
        .replace(/"__ts":"\d{15}:\d{5}:aio-emulate"/, '"__ts":"<ts>"')
        .replace(/"__ts":"\d{11}0000:00000:window"/, '"__ts":"<window end>"'),
    )
    .join('\n');
}

async function runOutput(data: string): Promise<{ lines: string; log: string }> {
  const outputDir = join(data, 'output');
  const files = (await readdir(outputDir)).filter((f) => f.endsWith('.txt'));
  assert.equal(files.length, 1, 'one output file per run');
  return { lines: await readFile(join(outputDir, files[0]!), 'utf8'), log: await readFile(join(outputDir, 'logs', 'host-app.log'), 'utf8') };
}

describe('aio emulate --data (data-folder workflow)', () => {
  before(() => useSharedCache());

  it('runs the thermostat example and writes the expected JSON lines, log and summary', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const result = await runCli(['emulate', join(ws, 'graph.dataflow.yaml'), '--data', join(ws, 'data'), '--json']);
      assert.equal(result.code, 0, result.stderr);
      const { lines, log } = await runOutput(join(ws, 'data'));
      assert.equal(normalise(lines), (await readFile(fixture('emulate', 'thermostat.expected.jsonl'), 'utf8')).trim());
      assert.match(log, /INFO +\[module-thermostat\/filter\] thermostat\/filter: dropped 653\.89 C: outside \[-40, 150\]/);
      const summary = JSON.parse(result.stdout) as { inputFiles: number; sinkMessages: number; operations: Array<Record<string, unknown>> };
      assert.equal(summary.inputFiles, 5);
      assert.equal(summary.sinkMessages, 2);
      const byName = Object.fromEntries(summary.operations.map((o) => [o['operation'], o]));
      assert.deepEqual([byName['module-thermostat/filter']!['in'], byName['module-thermostat/filter']!['dropped']], [5, 1]);
      assert.equal(byName['module-window/accumulate']!['out'], 1);
      assert.equal(typeof byName['module-thermostat/map']!['p99Micros'], 'number');
    });
  });

  it('prints a summary table per operation in a terminal-style run', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const result = await runCli(['emulate', join(ws, 'graph.dataflow.yaml'), '--data', join(ws, 'data')]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /5 input file\(s\) → 2 sink message\(s\)/);
      assert.match(result.stdout, /operation +type +in +out +dropped +errors +p50 +p99/);
      assert.match(result.stdout, /module-thermostat\/filter +filter +5 +4 +1 +0 +[\d.]+ (µs|ms)/);
      assert.match(result.stderr, /module thermostat:1\.0\.0 ← .*thermostat\.wasm \((cached|compiled), \d+ ms\)/);
    });
  });

  it('applies --param over TK_CONFIGURATION_PARAMETERS over the graph default', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      // 20 °C, 25 °C and 30 °C readings: an upper bound of 26 keeps two, of 22 keeps one.
      await writeFile(join(ws, 'hostapp.env.list'), 'TK_CONFIGURATION_PARAMETERS={"module-thermostat/filter":{"temperature_upper_bound":"26"}}\n');
      const fromEnvList = await runCli(['emulate', join(ws, 'graph.dataflow.yaml'), '--data', join(ws, 'data'), '--json']);
      assert.equal(fromEnvList.code, 0, fromEnvList.stderr);
      assert.match((await runOutput(join(ws, 'data'))).lines, /"count":2,"min":20,"max":25/);
      await cp(join(ws, 'data'), join(ws, 'data2'), { recursive: true, filter: (src) => !src.endsWith('output') });
      const fromFlag = await runCli([
        'emulate',
        join(ws, 'graph.dataflow.yaml'),
        '--data',
        join(ws, 'data2'),
        '--param',
        'module-thermostat/filter.temperature_upper_bound=22',
        '--json',
      ]);
      assert.equal(fromFlag.code, 0, fromFlag.stderr);
      assert.match((await runOutput(join(ws, 'data2'))).lines, /"count":1,"min":20,"max":20/);
    });
  });

  it('enriches from statestore.json and rejects payloads that fail the TK_SCHEMA_CONFIG_PATH schema', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('enrichment', dir);
      const result = await runCli(['emulate', join(ws, 'graph.dataflow.yaml'), '--data', join(ws, 'data'), '--json']);
      assert.equal(result.code, 0, result.stderr);
      const { lines, log } = await runOutput(join(ws, 'data'));
      assert.equal(normalise(lines), (await readFile(fixture('emulate', 'enrichment.expected.jsonl'), 'utf8')).trim());
      assert.match(log, /WARN +\[source\] dropped item .*: payload does not match reading\.schema\.json: \/temperature must be number/);
    });
  });

  it('stops before start when a required parameter has no value, pointing at its declaration', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const graph = join(ws, 'graph.dataflow.yaml');
      const text = (await readFile(graph, 'utf8')).replace('        default: "-40"\n', '        required: true\n');
      await writeFile(graph, text);
      const result = await runCli(['emulate', graph, '--data', join(ws, 'data')]);
      assert.equal(result.code, 3);
      assert.match(
        result.stderr,
        /graph\.dataflow\.yaml:17:7: error AIO_EMULATE_MISSING_PARAMETER: operation module-thermostat\/filter requires parameter temperature_lower_bound/,
      );
      assert.match(result.stderr, /hint: pass --param module-thermostat\/filter\.temperature_lower_bound=<value>/);
      assert.ok(!looksLikeStackTrace(result.stderr));
    });
  });

  it('lists every place it looked when a module cannot be found', async () => {
    await withTempDir(async (dir) => {
      await cp(join(repoRoot, 'examples', 'thermostat', 'graph.dataflow.yaml'), join(dir, 'graph.dataflow.yaml'));
      const result = await runCli(['emulate', join(dir, 'graph.dataflow.yaml'), '--data', dir, '--modules', join(dir, 'mods')]);
      assert.equal(result.code, 3);
      assert.match(
        result.stderr,
        /graph\.dataflow\.yaml:37:13: error AIO_EMULATE_MODULE_NOT_FOUND: module thermostat:1\.0\.0 for operation module-thermostat\/map was not found; looked in:/,
      );
      assert.ok(result.stderr.includes(join(dir, 'mods', 'thermostat.wasm')));
      assert.ok(result.stderr.includes(join(dir, 'operators', 'thermostat', 'bin', 'release', 'thermostat.wasm')));
      assert.ok(result.stderr.includes(join(dir, 'operators', 'thermostat', 'bin', 'debug', 'thermostat.wasm')));
      assert.match(
        result.stderr,
        /hint: Build the operator into operators\/thermostat\/bin\/release\/thermostat\.wasm, pass --modules <dir> holding thermostat\.wasm, or --registry <host> to pull it/,
      );
    });
  });

  it('finds a module in a --modules folder and under bin/<arch>/release', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const { rename, mkdir } = await import('node:fs/promises');
      await mkdir(join(ws, 'mods'));
      await rename(join(ws, 'operators', 'thermostat', 'bin', 'release', 'thermostat.wasm'), join(ws, 'mods', 'thermostat.wasm'));
      await mkdir(join(ws, 'operators', 'window', 'bin', 'wasm32-wasip2', 'release'), { recursive: true });
      await rename(
        join(ws, 'operators', 'window', 'bin', 'release', 'window.wasm'),
        join(ws, 'operators', 'window', 'bin', 'wasm32-wasip2', 'release', 'window.wasm'),
      );
      const result = await runCli(['emulate', join(ws, 'graph.dataflow.yaml'), '--data', join(ws, 'data'), '--modules', join(ws, 'mods')]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /module thermostat:1\.0\.0 ← .*mods\/thermostat\.wasm/);
      assert.match(result.stderr, /module window:1\.0\.0 ← .*bin\/wasm32-wasip2\/release\/window\.wasm/);
    });
  });

  it('reports a broken statestore.json with its position', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('enrichment', dir);
      await writeFile(join(ws, 'statestore.json'), '[\n  {"factoryId": "factoryA"},\n  {"machineId" "machineA"}\n]\n');
      const result = await runCli(['emulate', join(ws, 'graph.dataflow.yaml'), '--data', join(ws, 'data')]);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /statestore\.json:3:\d+: error AIO_BAD_JSON: .*statestore\.json is not valid JSON/);
    });
  });
});
