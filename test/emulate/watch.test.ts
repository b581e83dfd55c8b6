/**
 * `aio emulate --watch` end to end through MQTT: a JavaScript counter operator (its `seq` user property counts in
 * the state store) runs on the embedded broker while messages flow; its source is changed, rebuilt and swapped in:
 * later messages carry the new behaviour, `seq` goes on without a reset, nothing is lost, and the log names the swap
 * with both sha256s. A broken source leaves the old module running and shows the compiler's error.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt, { type IPublishPacket } from 'mqtt';
import { runCli } from '../helpers/cli.js';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { spawn } from 'node:child_process';
import { SHARED_TEST_CACHE } from '../helpers/components.js';
import { repoRoot } from '../helpers/paths.js';
import { copyExample, eventually } from '../helpers/examples.js';
import { startRegistry, type LocalRegistry } from '../helpers/registry.js';
import { withTempDir } from '../helpers/temp-dir.js';

const counterSource = (version: string) => `import { defineMap, stateStore } from 'aio-graph-cli/sdk';

export const map = defineMap({
  process(message) {
    const seq = Number(stateStore.get('seq') ?? '0') + 1;
    stateStore.set('seq', String(seq));
    return { userProperties: { ...message.userProperties, seq: String(seq), version: '${version}' } };
  },
});
`;

/** A workspace from `aio init` whose operator counts messages in the state store, built. */
async function counterWorkspace(dir: string): Promise<string> {
  const init = await runCli(['init', 'ws', '--lang', 'javascript', '--operator', 'counter', '--type', 'map'], { cwd: dir });
  assert.equal(init.code, 0, init.stderr);
  const ws = join(dir, 'ws');
  await writeFile(join(ws, 'operators', 'counter', 'src', 'index.js'), counterSource('1'));
  const build = await runCli(['build', '--workspace', ws]);
  assert.equal(build.code, 0, build.stderr);
  return ws;
}

interface Received {
  n: number;
  seq: number;
  version: string;
}

/** Publishes `count` numbered messages, one every `everyMs`. */
async function publishNumbered(url: string, from: number, count: number, everyMs: number): Promise<void> {
  const pub = await mqtt.connectAsync(url, { protocolVersion: 5 });
  for (let n = from; n < from + count; n++) {
    await pub.publishAsync('sensors/line1', JSON.stringify({ n }), { qos: 1 });
    await new Promise((r) => setTimeout(r, everyMs));
  }
  await pub.endAsync();
}

async function sinkSubscriber(url: string, received: Received[]): Promise<mqtt.MqttClient> {
  const sub = await mqtt.connectAsync(url, { protocolVersion: 5 });
  sub.on('message', (_topic, payload, packet: IPublishPacket) => {
    const props = packet.properties?.userProperties ?? {};
    received.push({ n: (JSON.parse(payload.toString()) as { n: number }).n, seq: Number(props['seq']), version: String(props['version']) });
  });
  await sub.subscribeAsync('processed', { qos: 1 });
  return sub;
}

/** `aio emulate --watch` on a fresh counter workspace, with a subscriber collecting the sink's messages. */
async function watchedCounter(
  dir: string,
): Promise<{ ws: string; emulator: Awaited<ReturnType<typeof startEmulator>>; received: Received[]; sub: mqtt.MqttClient }> {
  const ws = await counterWorkspace(dir);
  const emulator = await startEmulator([join(ws, 'graph.dataflow.yaml'), '--port', '0', '--watch']);
  const received: Received[] = [];
  return { ws, emulator, received, sub: await sinkSubscriber(emulator.brokerUrl, received) };
}

describe('aio emulate --watch', () => {
  before(() => useSharedCache());

  it('swaps a rebuilt operator into the running graph: new behaviour, seq goes on, nothing lost, the swap logged', async () => {
    await withTempDir(async (dir) => {
      const { ws, emulator, received, sub } = await watchedCounter(dir);
      try {
        const flowing = publishNumbered(emulator.brokerUrl, 0, 60, 50);
        await eventually(() => received.length >= 10, 'the first outputs');
        await writeFile(join(ws, 'operators', 'counter', 'src', 'index.js'), counterSource('2'));
        await eventually(() => /watch: swapped /.test(emulator.stderr()), 'the swap', 60_000);
        await flowing;
        await publishNumbered(emulator.brokerUrl, 60, 5, 0);
        await eventually(() => received.length === 65, 'all 65 outputs');

        // Nothing lost, order kept, seq never reset, and the new module's mark on the later messages.
        assert.deepEqual(
          received.map((r) => r.n),
          Array.from({ length: 65 }, (_, i) => i),
        );
        assert.deepEqual(
          received.map((r) => r.seq),
          Array.from({ length: 65 }, (_, i) => i + 1),
        );
        const firstNew = received.findIndex((r) => r.version === '2');
        assert.ok(firstNew > 0, 'the first messages ran on the old module');
        assert.ok(
          received.slice(firstNew).every((r) => r.version === '2'),
          'every message after the swap ran on the new module',
        );
        assert.equal(received.at(-1)!.version, '2');
        const swap = /watch: swapped (\S+) into module-counter\/map: sha256 ([0-9a-f]{64}) → ([0-9a-f]{64}) \(graph paused [\d.]+ ms\)/.exec(emulator.stderr());
        assert.ok(swap, emulator.stderr());
        assert.notEqual(swap[2], swap[3]);
      } finally {
        await sub.endAsync();
        const stopped = await emulator.interrupt();
        assert.equal(stopped.code, 0, stopped.stderr);
      }
    });
  });

  it('keeps the old module running when the changed source does not build, and shows the error', async () => {
    await withTempDir(async (dir) => {
      const { ws, emulator, received, sub } = await watchedCounter(dir);
      try {
        const source = join(ws, 'operators', 'counter', 'src', 'index.js');
        await writeFile(source, `${await readFile(source, 'utf8')}\nexport const broken = ;\n`);
        await eventually(() => /watch: the build of counter failed; the running module stays/.test(emulator.stderr()), 'the build failure', 60_000);
        assert.match(emulator.stderr(), /index\.js:\d+:\d+/, 'the compiler error names the file and line');
        await publishNumbered(emulator.brokerUrl, 0, 3, 0);
        await eventually(() => received.length === 3, 'three outputs');
        assert.deepEqual(
          received.map((r) => [r.seq, r.version]),
          [
            [1, '1'],
            [2, '1'],
            [3, '1'],
          ],
        );
        assert.doesNotMatch(emulator.stderr(), /watch: swapped/);
      } finally {
        await sub.endAsync();
        const stopped = await emulator.interrupt();
        assert.equal(stopped.code, 0, stopped.stderr);
      }
    });
  });

  describe('--follow-tags', () => {
    let registry: LocalRegistry;
    before(async () => (registry = await startRegistry()));
    after(() => registry.stop());

    it('swaps in a module pushed again to the same tag, as a cluster graph does', async () => {
      await withTempDir(async (dir) => {
        const ws = await counterWorkspace(dir);
        const module = join(ws, 'operators', 'counter', 'bin', 'release', 'counter.wasm');
        const push = async () => {
          const pushed = await runCli(['registry', 'push', `${registry.host}/counter:1.0.0`, module, '--plain-http']);
          assert.equal(pushed.code, 0, pushed.stderr);
        };
        await push();
        // The graph alone, with no workspace beside it: its module can only come from the registry.
        const bare = join(dir, 'bare');
        await mkdir(bare);
        await copyFile(join(ws, 'graph.dataflow.yaml'), join(bare, 'graph.dataflow.yaml'));
        const emulator = await startEmulator([
          join(bare, 'graph.dataflow.yaml'),
          '--port',
          '0',
          '--registry',
          `http://${registry.host}`,
          '--follow-tags',
          '--follow-interval',
          '300ms',
        ]);
        const received: Received[] = [];
        const sub = await sinkSubscriber(emulator.brokerUrl, received);
        try {
          assert.match(emulator.stderr(), new RegExp(`follow-tags: polling ${registry.host}/counter:1\\.0\\.0 every 0\\.3 s`));
          await publishNumbered(emulator.brokerUrl, 0, 3, 0);
          await eventually(() => received.length === 3, 'three outputs of the first module');

          await writeFile(join(ws, 'operators', 'counter', 'src', 'index.js'), counterSource('2'));
          const build = await runCli(['build', '--workspace', ws]);
          assert.equal(build.code, 0, build.stderr);
          await push();
          await eventually(
            () => /follow-tags: \S+counter:1\.0\.0 moved from sha256:\w+ to sha256:\w+; swapped into module-counter\/map/.test(emulator.stderr()),
            'the swap',
            30_000,
          );
          await publishNumbered(emulator.brokerUrl, 3, 3, 0);
          await eventually(() => received.length === 6, 'three more outputs');
          assert.deepEqual(
            received.map((r) => [r.n, r.seq, r.version]),
            [
              [0, 1, '1'],
              [1, 2, '1'],
              [2, 3, '1'],
              [3, 4, '2'],
              [4, 5, '2'],
              [5, 6, '2'],
            ],
          );
        } finally {
          await sub.endAsync();
          const stopped = await emulator.interrupt();
          assert.equal(stopped.code, 0, stopped.stderr);
        }
      });
    });
  });

  describe('graph and data-folder changes', () => {
    it('re-inits only the operation whose parameters changed, and restarts the run on the same port for a structural change', async () => {
      await withTempDir(async (dir) => {
        const ws = await copyExample('thermostat', dir);
        const graphFile = join(ws, 'graph.dataflow.yaml');
        const emulator = await startEmulator([graphFile, '--port', '0', '--watch']);
        const pub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5, reconnectPeriod: 200 });
        try {
          const graph = await readFile(graphFile, 'utf8');
          await writeFile(graphFile, graph.replace('default: "150"', 'default: "40"'));
          await eventually(() => /watch: new parameters for module-thermostat\/filter: started anew/.test(emulator.stderr()), 'the re-init', 30_000);
          await pub.publishAsync('sensors/a', JSON.stringify({ temperature: { value: 50, unit: 'C' } }), { qos: 1 });
          await eventually(() => /dropped 50 C: outside \[-40, 40\]/.test(emulator.stderr()), 'the new bound at work');
          assert.equal(emulator.stderr().match(/^ready: /gm)?.length, 1, 'the run did not restart');

          // Renaming an operation is a new graph: the run restarts, on the same port, saying why.
          await writeFile(graphFile, (await readFile(graphFile, 'utf8')).replaceAll('name: merge', 'name: merged'));
          await eventually(() => emulator.stderr().match(/^ready: /gm)?.length === 2, 'the restarted run', 30_000);
          assert.match(
            emulator.stderr(),
            /watch: operation merge was removed in \S*graph\.dataflow\.yaml, which a running graph cannot take; restarting the run/,
          );
          assert.match(emulator.stderr(), /^restarting: \d+ accepted message\(s\) not processed yet; processing them before the run starts again$/m);
          assert.doesNotMatch(emulator.stderr(), /^interrupted: /m, 'a restart does not read as the user stopping the run');
          assert.equal(emulator.stderr().match(/^broker: (\S+)/gm)?.length, 2);
          assert.equal(new Set([...emulator.stderr().matchAll(/^broker: (\S+)/gm)].map((m) => m[1])).size, 1, 'the same broker address');
          const sub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
          await sub.subscribeAsync('processed', { qos: 1 });
          const arrived = new Promise<string>((resolve) => sub.once('message', (_t, payload) => resolve(payload.toString())));
          await pub.publishAsync('sensors/a', JSON.stringify({ status: 'after restart' }), { qos: 1 });
          assert.deepEqual(JSON.parse(await arrived), { status: 'after restart' });
          await sub.endAsync();
        } finally {
          await pub.endAsync();
          const stopped = await emulator.interrupt();
          assert.equal(stopped.code, 0, stopped.stderr);
        }
      });
    });

    it('runs a data folder again after a change', async () => {
      await withTempDir(async (dir) => {
        const ws = await copyExample('thermostat', dir);
        const graphFile = join(ws, 'graph.dataflow.yaml');
        const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'emulate', graphFile, '--data', join(ws, 'data'), '--watch'], {
          env: { ...process.env, AIO_CACHE_DIR: SHARED_TEST_CACHE, NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        try {
          await eventually(() => stderr.match(/watch: waiting for a change/g)?.length === 1, 'the first pass', 30_000);
          await writeFile(graphFile, (await readFile(graphFile, 'utf8')).replace('default: "150"', 'default: "20"'));
          await eventually(() => stderr.match(/watch: waiting for a change/g)?.length === 2, 'the second pass', 30_000);
          const filterRows = [...stdout.matchAll(/^\s*module-thermostat\/filter\s.*$/gm)].map((m) => m[0]);
          assert.equal(filterRows.length, 2, stdout);
          const dropped = (row: string) => Number(row.trim().split(/\s+/)[4]);
          assert.ok(dropped(filterRows[1]!) > dropped(filterRows[0]!), `the new upper bound drops more in the second pass:\n${filterRows.join('\n')}`);
        } finally {
          child.kill('SIGINT');
          assert.equal(await exited, 0, stderr);
        }
      });
    });
  });
});
