/**
 * The dashboard's parts on their own: the bare `--ui` flag, the kept-last rings, item views, the inspector's memory,
 * the layout, the CLI's errors.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { looksLikeListenAddress, withDefaultValues } from '../../src/cli/optional-value-flags.js';
import { itemView, SHOWN_PAYLOAD_BYTES } from '../../src/emulator/inspection/item-view.js';
import { RunObservation, feed } from '../../src/emulator/inspection/run-observation.js';
import { RECENT_ITEMS } from '../../src/emulator/inspection/recent-items.js';
import { layoutGraph } from '../../src/emulator/server/graph-layout.js';
import { createMessage } from '../../src/engine/message.js';
import { MemoryLog } from '../../src/engine/run-log.js';
import { loadValidGraph } from '../../src/graph/validate.js';
import { createEngine } from '../../src/run/instantiate-run.js';
import { prepareRun } from '../../src/run/prepare-run.js';
import { Ring } from '../../src/util/ring.js';
import { runCli } from '../helpers/cli.js';
import { useSharedCache } from '../helpers/components.js';
import { repoRoot } from '../helpers/paths.js';

const ui = [{ name: 'ui', fallback: '127.0.0.1:0', looksLikeValue: looksLikeListenAddress }];
const ts = { secs: 1_763_000_000, nanos: 0, counter: 0, nodeId: 'n' };
const thermostat = join(repoRoot, 'examples', 'thermostat', 'graph.dataflow.yaml');

describe('dashboard parts', () => {
  before(() => useSharedCache());

  it('gives a bare --ui its default address, and takes an address written after it', () => {
    assert.deepEqual(withDefaultValues(['g.yaml', '--ui'], ui), ['g.yaml', '--ui=127.0.0.1:0']);
    assert.deepEqual(withDefaultValues(['--ui', '--json'], ui), ['--ui=127.0.0.1:0', '--json']);
    assert.deepEqual(withDefaultValues(['--ui', 'g.yaml'], ui), ['--ui=127.0.0.1:0', 'g.yaml']);
    assert.deepEqual(withDefaultValues(['--ui', '0.0.0.0:8080', 'g.yaml'], ui), ['--ui', '0.0.0.0:8080', 'g.yaml']);
    assert.deepEqual(withDefaultValues(['--ui', ':8080'], ui), ['--ui', ':8080']);
    assert.deepEqual(withDefaultValues(['--ui=9000'], ui), ['--ui=9000']);
    assert.deepEqual(withDefaultValues(['--', '--ui'], ui), ['--', '--ui']);
  });

  it('keeps the last values of a ring, oldest first', () => {
    const ring = new Ring<number>(3);
    assert.deepEqual(ring.list(), []);
    for (const n of [1, 2]) ring.push(n);
    assert.deepEqual(ring.list(), [1, 2]);
    for (const n of [3, 4, 5]) ring.push(n);
    assert.deepEqual(ring.list(), [3, 4, 5]);
  });

  it('shows a payload as text, binary as base64, and cuts a large one without splitting a character', () => {
    const text = itemView(createMessage({ timestamp: ts, topic: 't/1', payload: '{"a":1}', userProperties: [['k', 'v']], contentType: 'application/json' }));
    assert.deepEqual(
      { payload: text.payload, encoding: text.encoding, topic: text.topic, props: text.userProperties, type: text.contentType },
      { payload: '{"a":1}', encoding: 'utf8', topic: 't/1', props: [['k', 'v']], type: 'application/json' },
    );
    const binary = itemView(createMessage({ timestamp: ts, payload: new Uint8Array([0xff, 0x00, 0xfe]) }));
    assert.deepEqual([binary.encoding, binary.payload, binary.bytes], ['base64', '/wD+', 3]);
    // 'é' is two bytes: the cut at SHOWN_PAYLOAD_BYTES falls inside one.
    const large = itemView(createMessage({ timestamp: ts, payload: `x${'é'.repeat(SHOWN_PAYLOAD_BYTES)}` }));
    assert.equal(large.encoding, 'utf8');
    assert.equal(large.truncated, true);
    assert.equal(Buffer.byteLength(large.payload), SHOWN_PAYLOAD_BYTES - 1);
  });

  it('lays the thermostat graph out left to right, every connection routed between its boxes', async () => {
    const { graph } = await loadValidGraph(thermostat);
    const layout = layoutGraph(graph);
    assert.equal(layout.nodes.length, graph.operations.length);
    assert.equal(layout.edges.length, graph.connections.length);
    const node = new Map(layout.nodes.map((n) => [n.name, n]));
    for (const n of layout.nodes) {
      assert.ok(n.x - n.width / 2 >= 0 && n.x + n.width / 2 <= layout.width, `${n.name} lies inside the drawing`);
    }
    for (const e of layout.edges) {
      assert.ok(e.points.length >= 2, `${e.from} → ${e.to} has a route`);
      assert.ok(node.get(e.from)!.x < node.get(e.to)!.x, `${e.from} is left of ${e.to}`);
    }
    assert.deepEqual(
      layout.edges
        .filter((e) => e.arm !== undefined)
        .map((e) => e.arm)
        .sort(),
      ['False', 'True'],
    );
  });

  it('gives an item the journey it belongs to however many inputs came after it', async () => {
    const prepared = await prepareRun({ graphFile: thermostat, moduleDirs: [], params: [], log: new MemoryLog('error') });
    try {
      const observation = RunObservation.create(prepared.graph, { inspect: { stateStore: prepared.services.stateStore } })!;
      const engine = createEngine(prepared, () => undefined, observation.observer);
      const push = (secs: number, nanos = 0) =>
        feed(
          engine,
          observation,
          'sensors/t',
          createMessage({ timestamp: { ...ts, secs, nanos }, topic: 'sensors/t', payload: JSON.stringify({ temperature: { value: 20, unit: 'C' } }) }),
        );
      // Two readings in the first 10 s window; the third, in the next window, closes it: journey #3 has the emit.
      push(ts.secs + 1);
      push(ts.secs + 2);
      push(ts.secs + 11);
      // Then many more inputs, all in the second window: the accumulate emits nothing more.
      for (let n = 0; n < 1500; n++) push(ts.secs + 12, n * 1000);
      const accumulate = observation.answer({ what: 'operation', name: 'module-window/accumulate' });
      assert.ok(accumulate.what === 'operation');
      assert.equal(accumulate.out.length, 1, 'one window result');
      assert.equal(accumulate.out[0]!.journey?.seq, 3, 'the journey of the input that closed the window, 1,500 inputs ago');
      assert.deepEqual(
        accumulate.out[0]!.journey.ends.map((step) => [step.operation, step.outcome]),
        [
          ['module-window/accumulate', 'folded'],
          ['sink', 'sink'],
        ],
      );
      assert.equal(accumulate.in.length, RECENT_ITEMS, 'the last items in');
      assert.equal(accumulate.in[0]!.journey?.seq, 1503, 'newest first');
    } finally {
      await prepared.close();
    }
  });

  it('refuses --ui and --metrics on a data-folder run, and an address that is not one', async () => {
    const live = await runCli(['emulate', thermostat, '--data', 'examples/thermostat/data', '--ui', '--json']);
    assert.equal(live.code, 2, live.stderr);
    assert.equal(JSON.parse(live.stdout).error.code, 'AIO_EMULATE_LIVE_ONLY');
    const metrics = await runCli(['emulate', thermostat, '--data', 'examples/thermostat/data', '--metrics', '9464']);
    assert.equal(metrics.code, 2);
    assert.match(metrics.stderr, /AIO_EMULATE_LIVE_ONLY: --metrics works on a live run[^]*hint: .*--trace/);
    const address = await runCli(['emulate', thermostat, '--ui=127.0.0.1:99999', '--json']);
    assert.equal(address.code, 2);
    assert.equal(JSON.parse(address.stdout).error.code, 'AIO_EMULATE_BAD_LISTEN_ADDRESS');
  });
});
