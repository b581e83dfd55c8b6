/**
 * `aio record` against Debian's mosquitto while a publisher sends messages with MQTT 5 user properties: as a
 * `*.cases.yaml` case that `aio test --update` turns into a golden test, which a changed pipeline then fails with
 * the mismatch shown; and as a data folder that `aio emulate --data` replays with the recorded topics and properties.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { parse } from 'yaml';
import { runCli, looksLikeStackTrace, type CliResult } from '../helpers/cli.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { repoRoot } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';

/** source sensors/# → built-in map (°F → °C, the `line` user property into the payload, topic out/<source topic>) → processed/${outputTopic} */
const pipeline = (divisor: number) => `apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata: { name: recorded-pipeline }
spec:
  profileRef: default
  nodes:
    - nodeType: Source
      name: sensors
      sourceSettings: { endpointRef: default, dataSources: ["sensors/#"] }
    - nodeType: Graph
      name: convert
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-map:1.0.0
        configuration:
          - key: rules
            value: |
              {
                "map": [
                  { "inputs": ["*"], "output": "*" },
                  { "inputs": ["temperatureF"], "output": "temperatureC", "expression": "round_n(($1 - 32) * 5 / ${divisor}, 1)" },
                  { "inputs": ["$metadata.user_property.line"], "output": "line" },
                  { "inputs": ["$metadata.topic"], "output": "$metadata.topic", "expression": "\\"out/\\" + $1" }
                ]
              }
    - nodeType: Destination
      name: processed
      destinationSettings: { endpointRef: default, dataDestination: "processed/\${outputTopic}" }
  nodeConnections:
    - { from: { name: sensors }, to: { name: convert } }
    - { from: { name: convert }, to: { name: processed } }
`;

const messages: Array<{ topic: string; payload: string; userProperties: Record<string, string>; contentType?: string }> = [
  {
    topic: 'sensors/a',
    payload: '{"temperatureF":212}',
    userProperties: { line: 'line-1', __ts: '001735689600000:00000:sensor' },
    contentType: 'application/json',
  },
  { topic: 'sensors/b', payload: '{"temperatureF":32}', userProperties: { line: 'line-2' } },
  { topic: 'sensors/a', payload: '{ "temperatureF": 50 }', userProperties: { line: 'line-1', shift: 'night' } },
];

/** Runs `aio record` and publishes the messages once it says it is recording. */
async function recordWhilePublishing(broker: string, args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'record', '--broker', broker, '--topic', 'sensors/#', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const recording = new Promise<void>((resolve) =>
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes('recording ')) resolve();
    }),
  );
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  await Promise.race([recording, exited]);
  const publisher = await mqtt.connectAsync(broker, { protocolVersion: 5 });
  try {
    for (const m of messages) {
      await publisher.publishAsync(m.topic, m.payload, {
        qos: 1,
        properties: { userProperties: m.userProperties, ...(m.contentType === undefined ? {} : { contentType: m.contentType }) },
      });
    }
    // Something that is not recorded: outside the filter.
    await publisher.publishAsync('other/x', '{}', { qos: 1 });
  } finally {
    await publisher.endAsync();
  }
  return { code: await exited, stdout, stderr };
}

describe('aio record', () => {
  let broker: Mosquitto;
  before(async () => {
    broker = await startMosquitto();
  });
  after(async () => {
    await broker.stop();
  });

  it('records into a cases file; aio test --update makes it a golden test that a changed pipeline fails', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'pipeline.yaml'), pipeline(9));
      const casesFile = join(dir, 'tests', 'recorded.cases.yaml');
      const recorded = await recordWhilePublishing(broker.url, [
        '--count',
        '3',
        '--cases',
        casesFile,
        '--graph',
        join(dir, 'pipeline.yaml'),
        '--name',
        'line traffic',
      ]);
      assert.equal(recorded.code, 0, recorded.stderr);
      assert.match(recorded.stdout, /3 message\(s\) recorded \(count\)/);

      const written = parse(await readFile(casesFile, 'utf8')) as { graph: string; cases: Array<{ name: string; input: unknown[]; expect: unknown }> };
      assert.equal(written.graph, '../pipeline.yaml');
      assert.equal(written.cases[0]!.name, 'line traffic');
      assert.deepEqual(written.cases[0]!.expect, { sink: [] });
      const input = written.cases[0]!.input as Array<Record<string, unknown>>;
      assert.deepEqual(input[0], {
        topic: 'sensors/a',
        ts: '001735689600000:00000:sensor',
        userProperties: { line: 'line-1' },
        contentType: 'application/json',
        payload: { temperatureF: 212 },
      });
      assert.equal(input[1]!['topic'], 'sensors/b');
      assert.equal(typeof input[1]!['at'], 'number');
      assert.deepEqual(input[1]!['userProperties'], { line: 'line-2' });
      // Spacing that parsing would lose stays text, so the replay sends the very bytes recorded.
      assert.equal(input[2]!['payload'], '{ "temperatureF": 50 }');
      assert.deepEqual(input[2]!['userProperties'], { line: 'line-1', shift: 'night' });

      const before = await runCli(['test', casesFile]);
      assert.equal(before.code, 3, 'the empty expectation fails before --update');
      const updated = await runCli(['test', casesFile, '--update']);
      assert.equal(updated.code, 0, updated.stdout + updated.stderr);
      const golden = parse(await readFile(casesFile, 'utf8')) as { cases: Array<{ expect: { sink: Array<{ payload: unknown }> } }> };
      assert.deepEqual(
        golden.cases[0]!.expect.sink.map((m) => m.payload),
        [
          { temperatureF: 212, temperatureC: 100, line: 'line-1' },
          { temperatureF: 32, temperatureC: 0, line: 'line-2' },
          { temperatureF: 50, temperatureC: 10, line: 'line-1' },
        ],
      );
      const passes = await runCli(['test', casesFile]);
      assert.equal(passes.code, 0, passes.stdout + passes.stderr);

      await writeFile(join(dir, 'pipeline.yaml'), pipeline(10));
      const fails = await runCli(['test', casesFile]);
      assert.equal(fails.code, 3, fails.stdout);
      assert.match(fails.stdout, /✗ line traffic/);
      assert.match(fails.stdout, /expected\D+100[\s\S]*actual\D+90/);
      assert.ok(!looksLikeStackTrace(fails.stdout + fails.stderr));
    });
  });

  it('records into a data folder that aio emulate --data replays with the recorded topics and user properties', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'pipeline.yaml'), pipeline(9));
      const data = join(dir, 'recorded');
      const recorded = await recordWhilePublishing(broker.url, ['--count', '3', '--out', data, '--json']);
      assert.equal(recorded.code, 0, recorded.stderr);
      assert.deepEqual(JSON.parse(recorded.stdout), { messages: 3, stoppedBy: 'count', written: data });
      assert.deepEqual((await readdir(data)).sort(), ['.aio-messages.json', 'message_1.json', 'message_2.json', 'message_3.json']);
      assert.equal(await readFile(join(data, 'message_3.json'), 'utf8'), '{ "temperatureF": 50 }');
      const properties = JSON.parse(await readFile(join(data, '.aio-messages.json'), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(properties['message_1.json'], {
        topic: 'sensors/a',
        userProperties: [
          ['line', 'line-1'],
          ['__ts', '001735689600000:00000:sensor'],
        ],
        contentType: 'application/json',
      });

      const run = await runCli(['emulate', join(dir, 'pipeline.yaml'), '--data', data, '--json']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const outputDir = join(data, 'output');
      const outputFile = (await readdir(outputDir)).find((f) => f.endsWith('.txt'))!;
      const lines = (await readFile(join(outputDir, outputFile), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { topic: string; payload: unknown });
      assert.deepEqual(
        lines.map((l) => [l.topic, l.payload]),
        [
          ['processed/out/sensors/a', { temperatureF: 212, temperatureC: 100, line: 'line-1' }],
          ['processed/out/sensors/b', { temperatureF: 32, temperatureC: 0, line: 'line-2' }],
          ['processed/out/sensors/a', { temperatureF: 50, temperatureC: 10, line: 'line-1' }],
        ],
      );
    });
  });

  it('refuses a cases file without its graph, and a bad topic filter, with codes and no stack trace', async () => {
    await withTempDir(async (dir) => {
      const noGraph = await runCli([
        'record',
        '--broker',
        broker.url,
        '--topic',
        'sensors/#',
        '--count',
        '1',
        '--cases',
        join(dir, 'new.cases.yaml'),
        '--json',
      ]);
      assert.equal(noGraph.code, 2);
      assert.equal((JSON.parse(noGraph.stdout) as { error: { code: string } }).error.code, 'AIO_RECORD_CASES_NEED_GRAPH');
      const badTopic = await runCli(['record', '--broker', broker.url, '--topic', 'sensors/#/x', '--count', '1', '--out', dir]);
      assert.equal(badTopic.code, 2);
      assert.match(badTopic.stderr, /AIO_RECORD_BAD_TOPIC: --topic sensors\/#\/x/);
      assert.ok(!looksLikeStackTrace(badTopic.stderr));
    });
  });
});
