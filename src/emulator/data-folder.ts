/**
 * The AIO tooling's data-folder workflow: every file in the folder is one message (its bytes are the payload);
 * sink messages are appended as JSON lines to `<folder>/output/<date-time>.txt`. The run ends once all input is
 * processed and every window has closed.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { GraphEngine } from '../engine/graph-engine.js';
import { HlcClock } from '../engine/hlc.js';
import { endStream } from './file-log.js';
import { formatJsonLine } from '../mqtt/json-line.js';
import { createEngine, type PreparedRun } from '../run/instantiate-run.js';
import { listInputFiles, readInputMessage, readMessageProperties } from '../run/input-files.js';
import { ownTopic, toSinkMessage } from '../mqtt/sink-message.js';
import { RunObservation, feed } from './inspection/run-observation.js';
import type { StepConsole } from './debug/stepper.js';

export const OUTPUT_DIR = 'output';

export interface DataFolderOptions {
  dataDir: string;
  /** The topic input messages carry. */
  inputTopic: string;
  sinkTopic: string;
  qos: 0 | 1 | 2;
  /** Called after each input file, for progress. */
  onItem?: (done: number, total: number) => void;
  /** Write each input file's journey through the graph to `output/trace.jsonl` (`--trace`). */
  trace?: boolean;
  /** `--step`: stop before each item enters an operation, on this console. */
  step?: StepConsole | undefined;
}

export interface DataFolderResult {
  engine: GraphEngine;
  inputFiles: number;
  outputFile: string;
  sinkMessages: number;
  /** The journeys file, with `trace`. */
  traceFile: string | undefined;
}

export const TRACE_FILE = 'trace.jsonl';

/** `2026-11-21_10-15-30.txt`, made unique within the second. */
export function outputFileName(dir: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace('T', '_').replaceAll(':', '-');
  let name = `${stamp}.txt`;
  for (let n = 2; existsSync(join(dir, name)); n++) name = `${stamp}-${n}.txt`;
  return join(dir, name);
}

export async function runDataFolder(prepared: PreparedRun, options: DataFolderOptions): Promise<DataFolderResult> {
  const files = await listInputFiles(options.dataDir);
  const recorded = await readMessageProperties(options.dataDir);
  const outputDir = join(options.dataDir, OUTPUT_DIR);
  await mkdir(outputDir, { recursive: true });
  const outputFile = outputFileName(outputDir, new Date());
  const output = createWriteStream(outputFile);
  let sinkMessages = 0;
  const traceFile = options.trace ? join(outputDir, TRACE_FILE) : undefined;
  const observation = RunObservation.create(prepared.graph, {
    traceFile: traceFile === undefined ? undefined : { path: traceFile, append: false },
    step: options.step,
  });
  const engine = createEngine(
    prepared,
    (item) => {
      sinkMessages++;
      output.write(`${formatJsonLine(toSinkMessage(item, ownTopic(item, options.sinkTopic), options.qos), new Date())}\n`);
    },
    observation?.observer,
  );
  // Files arrive as a real publisher sends them, one after another: the i-th file (in name order) at the start
  // instant plus i milliseconds. Distinct times matter: a window operator that aligns timestamps to a boundary would
  // otherwise move a file with counter 1 or more to before its own timestamp (counter 0), which the engine refuses.
  const startedAt = Date.now();
  let sent = 0;
  const clock = new HlcClock('aio-emulate', () => startedAt + sent++);
  try {
    for (const [index, file] of files.entries()) {
      const item = await readInputMessage(file, clock.next(), options.inputTopic, recorded);
      feed(engine, observation, relative(options.dataDir, file), item);
      options.onItem?.(index + 1, files.length);
    }
    engine.finish();
  } finally {
    await endStream(output);
    await observation?.close();
  }
  return { engine, inputFiles: files.length, outputFile, sinkMessages, traceFile };
}
