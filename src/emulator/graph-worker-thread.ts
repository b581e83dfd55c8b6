/**
 * The graph worker's thread: loads the plan's modules, runs the engine on the source publishes it is sent, and
 * sends back the sink publishes, log entries and counts (see graph-worker.ts for why a thread).
 */
import { parentPort } from 'node:worker_threads';
import type { OperationStatsSnapshot } from '../engine/operation-stats.js';
import { HlcClock, hlcToMillis } from '../engine/hlc.js';
import { LiveFrontier } from './live-run.js';
import { observeLiveRun } from './inspection/run-observation.js';
import { answerQuestion } from './run-control.js';
import { levelAtLeast, type LogEntry, type RunLog } from '../engine/run-log.js';
import type { FromWorker, GraphWorkerData, ToWorker } from './graph-worker-protocol.js';
import { transferError } from '../util/transfer-error.js';
import { itemFromPublish, publishOptions } from '../mqtt/mqtt-message.js';
import { instantiateRun } from '../run/instantiate-run.js';
import { RunKernel } from './run-kernel.js';
import { PublishBatchWriter, readPublishBatch } from './publish-batch.js';
import { publishTopicOf, toSinkMessage } from '../mqtt/sink-message.js';

/** Counts cross at most this often while busy (a copy is some 2.4 KB per operation); always with the last reply. */
const STATS_EVERY_MS = 200;

const port = parentPort!;
// Spawned ahead of its run (GraphThread): the run comes in the first message.
const { plan, sinkTopic, qos, logLevel, traceFile, inspect, step } = await new Promise<GraphWorkerData>((resolve) =>
  port.once('message', (message: ToWorker) => message.kind === 'start' && resolve(message.data)),
);
const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const logs: LogEntry[] = [];
const log: RunLog = {
  minLevel: logLevel,
  write: (entry) => {
    if (levelAtLeast(entry.level, logLevel)) logs.push(entry);
  },
};

try {
  const prepared = await instantiateRun(plan, log, (module) => post({ kind: 'module-loaded', module }));
  const outputs = new PublishBatchWriter();
  // A trace file that cannot be written ends the run (the write error arrives later, once fail below exists).
  const observation = observeLiveRun(prepared, { traceFile, inspect, step, onWriteFailure: (failure) => fail(failure) });
  const kernel = new RunKernel(prepared, {
    output: (item) => {
      const message = toSinkMessage(item, publishTopicOf(item, sinkTopic), qos);
      const options = publishOptions(message);
      const payload = Buffer.from(message.payload.buffer, message.payload.byteOffset, message.payload.byteLength);
      outputs.append({
        topic: message.topic,
        payload,
        qos: options.qos ?? qos,
        retain: options.retain ?? false,
        properties: options.properties as Record<string, unknown>,
      });
    },
    observation,
  });
  const { engine } = kernel;
  const statsNow = (): OperationStatsSnapshot[] => engine.stats.map((s) => s.snapshot());
  const clock = new HlcClock('aio-emulate');
  let statsSentAt = performance.now();

  let trailingStats: NodeJS.Timeout | undefined;
  /** Sends what came of the last message (or frontier move): its outputs, logs and, now and then, the counts. */
  const report = (handled: number, finished: boolean, forceStats = false): void => {
    const statsDue = finished || forceStats || performance.now() - statsSentAt >= STATS_EVERY_MS;
    if (statsDue) {
      statsSentAt = performance.now();
      clearTimeout(trailingStats);
      trailingStats = undefined;
    } else {
      // The counts after the last message of a burst must arrive too, not wait for the next message.
      trailingStats ??= setTimeout(() => {
        trailingStats = undefined;
        report(0, false, true);
      }, STATS_EVERY_MS);
    }
    const batch = outputs.take();
    if (handled === 0 && !finished && !batch && !statsDue && logs.length === 0) return;
    const stats = statsDue ? statsNow() : undefined;
    const moduleMetrics = statsDue ? prepared.services.metrics.all() : undefined;
    post({ kind: 'progress', handled, outputs: batch, logs: logs.splice(0), stats, moduleMetrics, finished }, batch ? [batch] : []);
  };
  const fail = (error: unknown): void => {
    // A bug, not a module's failure (the engine counts and logs those and goes on): the run cannot go on.
    post({ kind: 'failed', error: transferError(error) });
  };
  // Here, not on the main thread: the rule needs each item's event time, which only this side decodes.
  const frontier = new LiveFrontier((millis) => {
    try {
      kernel.advance(millis);
      report(0, false);
    } catch (error) {
      fail(error);
    }
  });

  port.on('message', (message: ToWorker) => {
    try {
      if (message.kind === 'ask') {
        // A swap loads its module first, asynchronously: batches go on meanwhile; the swap itself is synchronous.
        answerQuestion(prepared, observation, message.question).then(
          (answer) => post({ kind: 'answer', id: message.id, answer }),
          (error: unknown) => post({ kind: 'answer', id: message.id, error: transferError(error) }),
        );
      } else if (message.kind === 'input') {
        const handled = readPublishBatch(message.batch, (packet) => {
          const item = itemFromPublish(packet, clock);
          frontier.noteInput(hlcToMillis(item.timestamp));
          kernel.input(packet.topic, item);
        });
        report(handled, false);
      } else if (message.kind === 'finish') {
        frontier.stop();
        kernel.finish();
        void prepared.close(); // nothing is called after the finish
        // The trace file is flushed before the last report: the main thread ends this thread once it has that.
        (observation?.close() ?? Promise.resolve()).then(() => report(0, true), fail);
      }
    } catch (error) {
      fail(error);
    }
  });
  post({ kind: 'ready', stats: statsNow() });
} catch (error) {
  post({ kind: 'failed', error: transferError(error) });
}
