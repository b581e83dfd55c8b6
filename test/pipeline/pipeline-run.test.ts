/**
 * The example pipeline (examples/thermostat/pipeline.dataflowgraph.yaml: built-in map → the workspace's thermostat
 * WASM graph → built-in window 1.1.0 → destination factory/${outputTopic}) run for real: by `aio emulate` on the
 * embedded broker (published in, subscribed out), and by `aio test` in its Kubernetes and ARM forms.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mqtt, { type IPublishPacket } from 'mqtt';
import { useSharedCache } from '../helpers/components.js';
import { runCli } from '../helpers/cli.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { eventually } from '../helpers/examples.js';

const EPOCH = Date.UTC(2025, 0, 1);
const ts = (ms: number): string => `${String(EPOCH + ms).padStart(15, '0')}:00000:sensor`;

describe('the example pipeline', () => {
  it('aio emulate runs the manifest on the embedded broker: the door opening closes the window, published under the line', async () => {
    useSharedCache();
    const emulator = await startEmulator(['examples/thermostat/pipeline.dataflowgraph.yaml', '--port', '0', '--json']);
    const packets: IPublishPacket[] = [];
    const sub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
    const pub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
    try {
      sub.on('message', (_topic, _payload, packet) => packets.push(packet));
      await sub.subscribeAsync('factory/#', { qos: 1 });
      const readings: Array<[number, object]> = [
        [1000, { temperature: { value: 68, unit: 'F' }, line: 'line-1' }],
        [4000, { temperature: { value: 86, unit: 'F' }, line: 'line-1' }],
        [12000, { temperature: { value: 77, unit: 'F' }, line: 'line-1' }],
        [13000, { status: 'door open', device: 'thermostat-1', line: 'line-1' }],
      ];
      for (const [at, payload] of readings) {
        await pub.publishAsync('sensors/line-1', JSON.stringify(payload), { qos: 1, properties: { userProperties: { __ts: ts(at) } } });
      }
      await eventually(() => packets.length >= 1, 'the summary window on factory/#', 30_000);
      assert.equal(packets[0]!.topic, 'factory/lines/line-1');
      assert.deepEqual(JSON.parse(packets[0]!.payload.toString()), { readings: 2, peakC: 30, events: 1 });
    } finally {
      await pub.endAsync();
      await sub.endAsync();
    }
    const stopped = await emulator.interrupt();
    assert.equal(stopped.code, 0, stopped.stderr);
    const summary = JSON.parse(stopped.stdout) as { received: number; operations: Array<{ operation: string; in: number }> };
    assert.equal(summary.received, 4);
    assert.deepEqual(
      summary.operations.filter((o) => ['sensors', 'normalize', 'summary', 'factory'].includes(o.operation)).map((o) => [o.operation, o.in]),
      [
        ['sensors', 4],
        ['normalize', 4],
        ['summary', 3], // the third: the thermostat's last 10 s window, closed when the run stops
        ['factory', 1],
      ],
    );
  });

  it('aio test passes the same cases on the Kubernetes and the ARM form of the manifest', async () => {
    const kubernetes = await runCli(['test', 'examples/thermostat/tests/pipeline.cases.yaml', '--json']);
    assert.equal(kubernetes.code, 0, kubernetes.stdout + kubernetes.stderr);
    const arm = await runCli(['test', 'examples/thermostat/tests/pipeline-arm.cases.yaml', '--json']);
    assert.equal(arm.code, 0, arm.stdout + arm.stderr);
    const cases = (run: string) => (JSON.parse(run) as { cases: Array<{ name: string; actual: unknown }> }).cases;
    assert.equal(cases(kubernetes.stdout).length, 4);
    assert.deepEqual(
      cases(arm.stdout).map((c) => c.actual),
      cases(kubernetes.stdout).map((c) => c.actual),
      'both forms give the same output',
    );
  });
});
