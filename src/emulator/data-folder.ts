/**
 * The AIO tooling's data-folder workflow: every file in the folder is one message (its bytes are the payload);
 * sink messages are appended as JSON lines to `<folder>/output/<date-time>.txt`. The run ends once all input is
 * processed and every window has closed.
 *
 * The output (and the trace) are written under a `.partial` name and renamed once the run is complete, so a run
 * that was killed or failed half-way leaves a file that is visibly incomplete, never one that reads as a result.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename as renameFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { GraphEngine } from '../engine/graph-engine.js';
import { HlcClock } from '../engine/hlc.js';
import type { AioError } from '../errors.js';
import { LineFile } from '../files/line-file.js';
import { formatJsonLine } from '../mqtt/json-line.js';
import type { PreparedRun } from '../run/instantiate-run.js';
import { RunKernel } from './run-kernel.js';
import { listInputFiles, readInputMessage, readMessageProperties } from '../run/input-files.js';
import { ownTopic, toSinkMessage } from '../mqtt/sink-message.js';
import { RunObservation } from './inspection/run-observation.js';
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
  /** The run log's write error (a full disk), checked after each input like the output's own. */
  logFailure?: () => AioError | undefined;
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

/** What a file is called until its run completes. */
export const PARTIAL_SUFFIX = '.partial';

/** `2026-11-21_10-15-30.txt`, made unique within the second (among finished and unfinished runs' files). */
export function outputFileName(dir: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace('T', '_').replaceAll(':', '-');
  const taken = (name: string): boolean => existsSync(join(dir, name)) || existsSync(join(dir, name + PARTIAL_SUFFIX));
  let name = `${stamp}.txt`;
  for (let n = 2; taken(name); n++) name = `${stamp}-${n}.txt`;
  return join(dir, name);
}

export async function runDataFolder(prepared: PreparedRun, options: DataFolderOptions): Promise<DataFolderResult> {
  const files = await listInputFiles(options.dataDir);
  const recorded = await readMessageProperties(options.dataDir);
  const outputDir = join(options.dataDir, OUTPUT_DIR);
  await mkdir(outputDir, { recursive: true });
  const outputFile = outputFileName(outputDir, new Date());
  const output = new LineFile(outputFile + PARTIAL_SUFFIX, 'the output file');
  let sinkMessages = 0;
  const traceFile = options.trace ? join(outputDir, TRACE_FILE) : undefined;
  const observation = RunObservation.create(prepared.graph, {
    traceFile: traceFile === undefined ? undefined : { path: traceFile + PARTIAL_SUFFIX, append: false },
    step: options.step,
  });
  const kernel = new RunKernel(prepared, {
    output: (item) => {
      sinkMessages++;
      output.write(`${formatJsonLine(toSinkMessage(item, ownTopic(item, options.sinkTopic), options.qos), new Date())}\n`);
    },
    observation,
  });
  // Files arrive as a real publisher sends them, one after another: the i-th file (in name order) at the start
  // instant plus i milliseconds. Distinct times matter: a window operator that aligns timestamps to a boundary would
  // otherwise move a file with counter 1 or more to before its own timestamp (counter 0), which the engine refuses.
  const startedAt = Date.now();
  let sent = 0;
  const clock = new HlcClock('aio-emulate', () => startedAt + sent++);
  // Both files are closed whatever happens; only a complete run's get their final names.
  const closeFiles = async (complete: boolean): Promise<void> => {
    const closed = await Promise.allSettled([
      complete ? output.closeAs(outputFile) : output.close(),
      observation?.close().then(() => (complete && traceFile !== undefined ? renameFile(traceFile + PARTIAL_SUFFIX, traceFile) : undefined)),
    ]);
    const failed = closed.find((c): c is PromiseRejectedResult => c.status === 'rejected');
    if (failed) throw failed.reason;
  };
  try {
    for (const [index, file] of files.entries()) {
      const item = await readInputMessage(file, clock.next(), options.inputTopic, recorded);
      kernel.input(relative(options.dataDir, file), item);
      options.onItem?.(index + 1, files.length);
      // A full disk ends the run at once: going on would only compute what cannot be kept.
      const failure = output.failure ?? observation?.failure ?? options.logFailure?.();
      if (failure) throw failure;
    }
    kernel.finish();
  } catch (error) {
    // The run's own error is the one to report; the files' (the same full disk) add nothing.
    await closeFiles(false).catch(() => {});
    throw error;
  }
  await closeFiles(true);
  const logFailure = options.logFailure?.();
  if (logFailure) throw logFailure;
  return { engine: kernel.engine, inputFiles: files.length, outputFile, sinkMessages, traceFile };
}
