/**
 * Render → emulate round trip on the mixed example pipeline (built-in map → the thermostat WASM graph → built-in
 * window → `factory/${outputTopic}`): the manifest `aio render` writes for a stage that binds nothing different,
 * run with `aio emulate`, publishes exactly what `aio emulate --env pipeline-local` publishes; the trace names the
 * condition that closed the built-in window.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { copyExample } from '../helpers/examples.js';
import { withTempDir } from '../helpers/temp-dir.js';

const EPOCH = Date.UTC(2025, 0, 1);
const ts = (ms: number): string => `${String(EPOCH + ms).padStart(15, '0')}:00000:sensor`;

/** The door-open case of tests/pipeline.cases.yaml as a recorded data folder (topics and __ts in .aio-messages.json). */
async function recordedFolder(dir: string): Promise<void> {
  const inputs: Array<[number, object]> = [
    [1000, { temperature: { value: 68, unit: 'F' }, line: 'line-1' }],
    [4000, { temperature: { value: 86, unit: 'F' }, line: 'line-1' }],
    [12000, { temperature: { value: 77, unit: 'F' }, line: 'line-1' }],
    [13000, { status: 'door open', device: 'thermostat-1', line: 'line-1' }],
  ];
  await mkdir(dir, { recursive: true });
  const properties: Record<string, unknown> = {};
  for (const [index, [at, payload]] of inputs.entries()) {
    const name = `message_${index + 1}.json`;
    await writeFile(join(dir, name), JSON.stringify(payload));
    properties[name] = { topic: 'sensors/line-1', userProperties: [['__ts', ts(at)]] };
  }
  await writeFile(join(dir, '.aio-messages.json'), JSON.stringify(properties));
}

async function published(output: string): Promise<unknown[]> {
  const file = (await readdir(output)).find((f) => f.endsWith('.txt'))!;
  return (await readFile(join(output, file), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => {
      const { topic, payload, properties } = JSON.parse(line) as { topic: string; payload: unknown; properties: unknown };
      return { topic, payload, properties };
    });
}

describe('render → emulate round trip of the example pipeline', () => {
  it('the rendered ARM manifest publishes what aio emulate --env pipeline-local publishes', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', join(dir, 'ws'));
      await recordedFolder(join(ws, 'recorded'));
      const local = await runCli(['emulate', '--env', 'pipeline-local', '--data', 'recorded', '--trace', '--json'], { cwd: ws });
      assert.equal(local.code, 0, local.stderr);
      const output = join(ws, 'recorded', 'output');
      // The trace says which condition closed the built-in window (duration, count, memory or trigger).
      const trace = await readFile(join(output, 'trace.jsonl'), 'utf8');
      assert.match(trace, /"operation":"summary","outcome":"emitted","at":"[^"]+","reason":"closed by trigger \(2 messages\)"/);
      const expected = await published(output);
      assert.equal(expected.length, 1, JSON.stringify(expected));
      assert.deepEqual((expected[0] as { topic: string; payload: unknown }).payload, { readings: 2, peakC: 30, events: 1 });

      await appendFile(
        join(ws, 'aio.yaml'),
        `\n  edge:\n    target: arm\n    pipeline: thermostat-pipeline\n    instance: { subscription: s, resourceGroup: rg, name: aio-edge, customLocation: cl }\n    registry: { host: edge.azurecr.io }\n`,
      );
      const render = await runCli(['render', '--env', 'edge', '--output', 'rendered.arm.json'], { cwd: ws });
      assert.equal(render.code, 0, render.stderr);
      await rm(output, { recursive: true });
      const again = await runCli(['emulate', 'rendered.arm.json', '--data', 'recorded', '--json'], { cwd: ws });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(await published(output), expected);
    });
  });
});
