/**
 * A module that loops forever, grows its memory without end, traps, traps in init, or moves an item back in time
 * must cost that item (or, in init, a clear error), never the run: data folder, MQTT and `aio test`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import mqtt, { type IPublishPacket } from 'mqtt';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { SHARED_TEST_CACHE, useSharedCache } from '../helpers/components.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { eventually } from '../helpers/examples.js';
import { repoRoot } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';

const MODULES = join(repoRoot, 'test', 'fixtures', 'components', 'build');

function graph(initValue = 'fine'): string {
  return `metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: misbehaving, version: "1.0.0" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
moduleConfigurations:
  - name: bad/map
    parameters:
      mode: { name: mode, default: "${initValue}" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: bad/map, module: "misbehaving:1.0.0" }
  - { operationType: filter, name: bad/filter, module: "misbehaving:1.0.0" }
  - { operationType: delay, name: bad/delay, module: "misbehaving:1.0.0" }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: bad/map } }
  - { from: { name: bad/map }, to: { name: bad/filter } }
  - { from: { name: bad/filter }, to: { name: bad/delay } }
  - { from: { name: bad/delay }, to: { name: sink } }
`;
}

/** In arrival order: three good messages around each kind of misbehaviour. */
const PAYLOADS = ['ok-1', 'loop', 'ok-2', 'grow', 'trap', 'back', 'ok-3'];
const LIMITS = ['--call-deadline', '1s', '--memory-limit', '64MiB'];

interface Summary {
  operations: Array<{ operation: string; in: number; out: number; errors: number; dropped: number }>;
}

function countsOf(summary: Summary): Record<string, [number, number]> {
  return Object.fromEntries(summary.operations.filter((o) => o.operation.startsWith('bad/')).map((o) => [o.operation, [o.out, o.errors]]));
}

/** What the three operations let through and failed: map fails loop, grow and trap; delay fails back. */
const EXPECTED_COUNTS = { 'bad/map': [4, 3], 'bad/filter': [4, 0], 'bad/delay': [3, 1] };

/** Runs `aio …` under /usr/bin/time; returns the result and the process's peak resident memory in MiB. */
function runMeasured(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string; peakMiB: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/time',
      ['-f', 'peak-kib=%M', process.execPath, join(repoRoot, 'bin', 'run.js'), ...args],
      { cwd, env: { ...process.env, AIO_CACHE_DIR: SHARED_TEST_CACHE, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const peak = /peak-kib=(\d+)/.exec(stderr);
        if (!peak) return reject(error ?? new Error(`no peak memory reported: ${stderr}`));
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr, peakMiB: Number(peak[1]) / 1024 });
      },
    );
  });
}

async function workspace(dir: string, initValue?: string): Promise<string> {
  await writeFile(join(dir, 'graph.yaml'), graph(initValue));
  await mkdir(join(dir, 'data'));
  for (const [i, payload] of PAYLOADS.entries()) await writeFile(join(dir, 'data', `message${i + 1}.txt`), payload);
  return join(dir, 'graph.yaml');
}

describe('modules that misbehave', () => {
  before(() => useSharedCache());

  it('data folder: the run finishes, good messages reach the sink, each bad one is counted and named, memory stays bounded', async () => {
    await withTempDir(async (dir) => {
      const graphFile = await workspace(dir);
      const result = await runMeasured(['emulate', graphFile, '--data', join(dir, 'data'), '--modules', MODULES, ...LIMITS, '--json'], dir);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(countsOf(JSON.parse(result.stdout) as Summary), EXPECTED_COUNTS);
      const outputs = (await readdir(join(dir, 'data', 'output'))).filter((f) => f.endsWith('.txt'));
      const lines = (await readFile(join(dir, 'data', 'output', outputs[0]!), 'utf8')).trim().split('\n');
      assert.deepEqual(
        lines.map((l) => (JSON.parse(l) as { payload: string }).payload),
        ['ok-1', 'ok-2', 'ok-3'],
      );
      const log = await readFile(join(dir, 'data', 'output', 'logs', 'host-app.log'), 'utf8');
      assert.match(log, /bad\/map: module call ran past its deadline at item \d{15}:\d{5}:\S+: no result within 1000 ms/);
      assert.match(log, /bad\/map: module trapped at item .*(memory|unreachable)/);
      assert.match(log, /bad\/delay: module returned an error at item .*a delay must not go backwards|bad\/delay: .*earlier than the item's own timestamp/);
      // 64 MiB for the instance that grew; without the cap it grows to 4 GiB before its allocator fails.
      assert.ok(result.peakMiB < 600, `peak memory ${Math.round(result.peakMiB)} MiB`);
    });
  });

  it('MQTT: the graph goes on past a call that never returns; the good messages reach the sink', async () => {
    await withTempDir(async (dir) => {
      const graphFile = await workspace(dir);
      const emulator = await startEmulator([graphFile, '--port', '0', '--modules', MODULES, ...LIMITS, '--json']);
      const packets: IPublishPacket[] = [];
      const sub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
      sub.on('message', (_topic, _payload, packet) => packets.push(packet));
      await sub.subscribeAsync('processed', { qos: 1 });
      const pub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
      for (const payload of PAYLOADS) await pub.publishAsync('sensors/bad', payload, { qos: 1 });
      await eventually(() => packets.length === 3, 'three sink messages', 15_000);
      assert.deepEqual(
        packets.map((p) => p.payload.toString()),
        ['ok-1', 'ok-2', 'ok-3'],
      );
      const stopped = await emulator.interrupt();
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.deepEqual(countsOf(JSON.parse(stopped.stdout) as Summary), EXPECTED_COUNTS);
      assert.match(stopped.stderr, /bad\/map: module call ran past its deadline/);
      await pub.endAsync();
      await sub.endAsync();
    });
  });

  it('aio test: a case whose module never returns fails with the deadline named, and the next case runs and passes', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'graph.yaml'), graph());
      await writeFile(
        join(dir, 'bad.cases.yaml'),
        `graph: graph.yaml
cases:
  - name: hangs
    input: [{ payload: "loop" }]
    expect: { sink: [{ payload: "loop" }] }
  - name: grows
    input: [{ payload: "grow" }, { payload: "after-grow" }]
    expect:
      sink: [{ payload: "after-grow" }]
      errors: [{ operation: bad/map, reason: trapped }]
  - name: fine afterwards
    input: [{ payload: "ok" }, { payload: "back" }]
    expect:
      sink: [{ payload: "ok" }]
      errors: [{ operation: bad/delay, reason: backwards }]
`,
      );
      const result = await runCli(['test', dir, '--modules', MODULES, ...LIMITS, '--json'], { cwd: dir });
      assert.equal(result.code, 3, result.stderr);
      const run = JSON.parse(result.stdout) as { cases: Array<{ name: string; status: string; reason?: string; mismatches?: unknown[] }> };
      const byName = Object.fromEntries(run.cases.map((c) => [c.name, c]));
      assert.equal(byName['hangs']!.status, 'failed');
      assert.match(JSON.stringify(byName['hangs']), /ran past its deadline.*1000 ms/);
      assert.equal(byName['grows']!.status, 'passed', JSON.stringify(byName['grows']));
      assert.equal(byName['fine afterwards']!.status, 'passed', JSON.stringify(byName['fine afterwards']));
    });
  });

  it('aio test with an AIO descriptor: the hanging input is named in the failure, the others reach the sink', async () => {
    await withTempDir(async (dir) => {
      await workspace(dir);
      await writeFile(join(dir, 'expected.json'), JSON.stringify([{ payload: 'ok-1' }, { payload: 'ok-2' }, { payload: 'ok-3' }]));
      await writeFile(
        join(dir, 'bad.test.yaml'),
        'name: misbehaving\ngraph: graph.yaml\ninput: data\nexpected: expected.json\nselect: [payload]\ntimeout: 60000\n',
      );
      const result = await runCli(['test', join(dir, 'bad.test.yaml'), '--modules', MODULES, ...LIMITS, '--json'], { cwd: dir });
      const run = JSON.parse(result.stdout) as { cases: Array<{ status: string; inside?: string[] }> };
      assert.equal(run.cases[0]!.status, 'passed', result.stdout);
      assert.equal(result.code, 0);
    });
  });

  it('init that traps stops the run before it starts, with the operation named', async () => {
    await withTempDir(async (dir) => {
      const graphFile = await workspace(dir, 'trap');
      const result = await runCli(['emulate', graphFile, '--data', join(dir, 'data'), '--modules', MODULES, ...LIMITS], { cwd: dir });
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, /AIO_MODULE_INIT_TRAPPED.*bad\/map/);
      assert.ok(!looksLikeStackTrace(result.stderr), result.stderr);
    });
  });

  it('init that never returns is stopped at the init deadline', async () => {
    await withTempDir(async (dir) => {
      const graphFile = await workspace(dir, 'loop');
      const started = performance.now();
      const result = await runCli(['emulate', graphFile, '--data', join(dir, 'data'), '--modules', MODULES, ...LIMITS, '--init-deadline', '1s', '--json'], {
        cwd: dir,
      });
      assert.equal(result.code, 3, result.stderr);
      const error = (JSON.parse(result.stdout) as { error: { code: string; message: string } }).error;
      assert.equal(error.code, 'AIO_MODULE_INIT_DEADLINE');
      assert.match(error.message, /bad\/map.*within 1000 ms/);
      assert.ok(performance.now() - started < 30_000, 'it did not wait for the default deadline');
    });
  });
});
