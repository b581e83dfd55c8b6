import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import type { InProcessPacket } from '../../src/mqtt/embedded-broker.js';
import { GraphWorker, MAX_BACKLOG } from '../../src/emulator/graph-worker.js';
import { GraphThread } from '../../src/emulator/graph-thread.js';
import { itemFromPublish, publishOptions } from '../../src/mqtt/mqtt-message.js';
import { createEngine, instantiateRun, type RunPlan } from '../../src/run/instantiate-run.js';
import { planRun } from '../../src/run/prepare-run.js';
import { PublishBatchWriter, readPublishBatch } from '../../src/emulator/publish-batch.js';
import { toSinkMessage } from '../../src/mqtt/sink-message.js';
import { HlcClock } from '../../src/engine/hlc.js';
import { AioError } from '../../src/errors.js';
import { MemoryLog } from '../../src/engine/run-log.js';
import { useSharedCache } from '../helpers/components.js';
import { copyExample } from '../helpers/examples.js';
import { withTempDir } from '../helpers/temp-dir.js';

const SINK = 'out/enriched';

/** Readings for the enrichment example with their own `__ts`, so both runs give items the same timestamps. */
function readings(count: number): InProcessPacket[] {
  return Array.from({ length: count }, (_, i) => ({
    topic: `factory/line${i % 3}`,
    // Every seventh reading breaks the example's payload schema: the source drops and logs it.
    payload: Buffer.from(JSON.stringify({ temperature: i % 7 === 6 ? 'warm' : 20 + i / 10 })),
    qos: 1 as const,
    retain: false,
    properties: {
      userProperties: { __ts: `${String(1_758_255_553_528 + i).padStart(15, '0')}:00000:sensor-1`, seq: String(i) },
      correlationData: Buffer.from(`c${i}`),
    },
  }));
}

/** What the same graph publishes when it runs on this thread, as the data-folder mode runs it. */
async function inThread(plan: RunPlan, inputs: InProcessPacket[]): Promise<InProcessPacket[]> {
  const prepared = await instantiateRun(plan, new MemoryLog('warn'));
  const outputs: InProcessPacket[] = [];
  const engine = createEngine(prepared, (item) => {
    const message = toSinkMessage(item, SINK, 1);
    const options = publishOptions(message);
    outputs.push({
      topic: message.topic,
      payload: Buffer.from(message.payload),
      qos: 1,
      retain: options.retain ?? false,
      properties: options.properties as Record<string, unknown>,
    });
  });
  const clock = new HlcClock('aio-emulate');
  for (const packet of inputs) engine.push(itemFromPublish(packet, clock));
  engine.finish();
  return outputs;
}

function startWorker(
  plan: RunPlan,
  log = new MemoryLog('warn'),
  thread?: GraphThread,
): Promise<{ worker: GraphWorker; outputs: InProcessPacket[]; log: MemoryLog }> {
  const outputs: InProcessPacket[] = [];
  return GraphWorker.start({ plan, sinkTopic: SINK, qos: 1, log, onOutput: (packet) => outputs.push(packet) }, thread).then((worker) => ({
    worker,
    outputs,
    log,
  }));
}

describe('publish batches (main thread ↔ graph worker)', () => {
  it('carry every publish field and MQTT 5 property unchanged, in order', () => {
    const packets: InProcessPacket[] = [
      {
        topic: 'factory/línea-1/°C',
        payload: Buffer.from([0, 255, 1, 2]),
        qos: 1,
        retain: true,
        properties: {
          userProperties: { site: 'north', tag: ['a', 'b'] },
          contentType: 'application/json',
          correlationData: Buffer.from([0, 1, 254]),
          responseTopic: 'replies/1',
          messageExpiryInterval: 120,
          payloadFormatIndicator: true,
        },
      },
      { topic: 'empty', payload: Buffer.alloc(0), qos: 0, retain: false },
      { topic: 'x'.repeat(70_000), payload: Buffer.alloc(100_000, 7), qos: 2, retain: false, properties: { contentType: 'text/plain' } },
    ];
    const writer = new PublishBatchWriter();
    for (const p of packets) writer.append(p);
    assert.equal(writer.count, 3);
    const read: InProcessPacket[] = [];
    assert.equal(
      readPublishBatch(writer.take()!, (p) => read.push(p)),
      3,
    );
    assert.deepEqual(read, packets);
    assert.equal(writer.take(), undefined, 'a taken batch starts a new, empty one');
  });
});

describe('the graph worker', () => {
  before(() => useSharedCache());

  it('publishes exactly what the same graph publishes on the main thread, and copies its counts back', () =>
    withTempDir(async (dir) => {
      const plan = await planRun({ graphFile: join(await copyExample('enrichment', dir), 'graph.dataflow.yaml'), moduleDirs: [], params: [] });
      const inputs = readings(500);
      const expected = await inThread(plan, inputs);
      const { worker, outputs, log } = await startWorker(plan);
      try {
        for (const packet of inputs) worker.push(packet);
        await worker.finish();
        assert.equal(outputs.length, 500 - Math.floor(500 / 7));
        assert.deepEqual(outputs, expected);
        const source = worker.stats.find((s) => s.operation === 'source')!;
        assert.deepEqual([source.in, source.dropped], [500, Math.floor(500 / 7)]);
        assert.ok(
          worker.stats.some((s) => s.latency.count === source.out),
          'module latencies come back with the counts',
        );
        assert.equal(
          log.entries.filter((e) => /payload does not match reading\.schema\.json/.test(e.message)).length,
          Math.floor(500 / 7),
          "the worker's log entries reach the run log",
        );
      } finally {
        await worker.terminate();
      }
    }));

  it('holds the caller once MAX_BACKLOG publishes wait, and lets it go when the worker catches up', () =>
    withTempDir(async (dir) => {
      const plan = await planRun({ graphFile: join(await copyExample('enrichment', dir), 'graph.dataflow.yaml'), moduleDirs: [], params: [] });
      const { worker, outputs } = await startWorker(plan);
      try {
        const packet = readings(1)[0]!;
        let early = false;
        worker.whenRoom(() => (early = true));
        assert.ok(early, 'room at once while the backlog is short');
        for (let i = 0; i < MAX_BACKLOG; i++) worker.push(packet);
        let released = false;
        worker.whenRoom(() => (released = true));
        assert.equal(released, false, 'held while MAX_BACKLOG publishes wait');
        await worker.finish();
        assert.equal(released, true);
        assert.equal(outputs.length, MAX_BACKLOG);
      } finally {
        await worker.terminate();
      }
    }));

  it('runs on a thread spawned before the run was planned, which then serves no other run', () =>
    withTempDir(async (dir) => {
      const thread = GraphThread.spawn(); // what aio emulate does before it reads the graph
      const plan = await planRun({ graphFile: join(await copyExample('enrichment', dir), 'graph.dataflow.yaml'), moduleDirs: [], params: [] });
      const inputs = readings(50);
      const { worker, outputs } = await startWorker(plan, new MemoryLog('warn'), thread);
      try {
        for (const packet of inputs) worker.push(packet);
        await worker.finish();
        assert.deepEqual(outputs, await inThread(plan, inputs));
        assert.throws(() => thread.take(), /serves one run/);
      } finally {
        await worker.terminate();
      }
    }));

  it('lets the process end while a thread spawned ahead waits for a run that never comes', () =>
    withTempDir(async (dir) => {
      // A run that fails before it starts (a bad graph, a port in use) must not leave the process hanging. The script
      // gives the thread a second to load (and says whether it could), then has nothing left to do.
      const module = new URL('../../src/emulator/graph-thread.js', import.meta.url).href;
      const script = join(dir, 'spare.mjs');
      await writeFile(
        script,
        `import { GraphThread } from ${JSON.stringify(module)};\nconst thread = GraphThread.spawn();\n` +
          `setTimeout(() => console.log(thread.failure ? 'failed: ' + thread.failure.message : 'waiting'), 1000);\n`,
      );
      const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 60_000 });
      assert.equal(stdout.trim(), 'waiting');
    }));

  it('fails to start with the same error as on the main thread when a module cannot load', () =>
    withTempDir(async (dir) => {
      const plan = await planRun({ graphFile: join(await copyExample('enrichment', dir), 'graph.dataflow.yaml'), moduleDirs: [], params: [] });
      const [, path] = [...plan.modulePaths][0]!;
      await writeFile(path, 'not wasm');
      const onMainThread = await instantiateRun(plan, new MemoryLog()).then(
        () => assert.fail('a broken module loads'),
        (error: unknown) => error,
      );
      assert.ok(onMainThread instanceof AioError);
      await assert.rejects(startWorker(plan), (error: unknown) => {
        assert.ok(error instanceof AioError, `an AioError, not ${String(error)}`);
        assert.deepEqual(error.toJSON(), onMainThread.toJSON());
        return true;
      });
    }));
});
