/**
 * The AIO tooling's data-folder workflow: every file in the folder is one message (its bytes are the payload);
 * sink messages are appended as JSON lines to `<folder>/output/<date-time>.txt`. The run ends once all input is
 * processed and every window has closed.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AioError } from '../errors.js';
import type { GraphEngine } from '../engine/graph-engine.js';
import { HlcClock, type Hlc } from '../engine/hlc.js';
import { createMessage, type Message } from '../engine/message.js';
import { endStream } from './file-log.js';
import { formatJsonLine } from './json-line.js';
import { createEngine, type PreparedRun } from './instantiate-run.js';
import { toSinkMessage } from './sink-message.js';

export const OUTPUT_DIR = 'output';

export interface DataFolderOptions {
  dataDir: string;
  /** The topic input messages carry. */
  inputTopic: string;
  sinkTopic: string;
  qos: 0 | 1 | 2;
  /** Called after each input file, for progress. */
  onItem?: (done: number, total: number) => void;
}

export interface DataFolderResult {
  engine: GraphEngine;
  inputFiles: number;
  outputFile: string;
  sinkMessages: number;
}

/** Input files in the folder, by name with numbers compared as numbers (payload_2 before payload_10). */
export async function listInputFiles(dataDir: string): Promise<string[]> {
  if (!existsSync(dataDir)) {
    throw new AioError('AIO_EMULATE_DATA_NOT_FOUND', `data folder ${dataDir} does not exist`, { hint: 'pass --data <folder> holding one file per input message' });
  }
  const entries = await readdir(dataDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((name) => join(dataDir, name));
}

/** One input file as one message: the file's bytes are the payload. */
export async function readInputMessage(file: string, timestamp: Hlc, topic: string): Promise<Message> {
  const bytes = await readFile(file);
  return createMessage({ timestamp, topic, payload: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
}

/** `2026-11-21_10-15-30.txt`, made unique within the second. */
export function outputFileName(dir: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace('T', '_').replaceAll(':', '-');
  let name = `${stamp}.txt`;
  for (let n = 2; existsSync(join(dir, name)); n++) name = `${stamp}-${n}.txt`;
  return join(dir, name);
}

export async function runDataFolder(prepared: PreparedRun, options: DataFolderOptions): Promise<DataFolderResult> {
  const files = await listInputFiles(options.dataDir);
  const outputDir = join(options.dataDir, OUTPUT_DIR);
  await mkdir(outputDir, { recursive: true });
  const outputFile = outputFileName(outputDir, new Date());
  const output = createWriteStream(outputFile);
  let sinkMessages = 0;
  const engine = createEngine(prepared, (item) => {
    sinkMessages++;
    output.write(`${formatJsonLine(toSinkMessage(item, options.sinkTopic, options.qos), new Date())}\n`);
  });
  // The folder is one batch arriving at once: one physical time, the counter giving each file its place. So a
  // window never splits a folder because reading it happened to straddle a window boundary.
  const startedAt = Date.now();
  const clock = new HlcClock('aio-emulate', () => startedAt);
  try {
    for (const [index, file] of files.entries()) {
      engine.push(await readInputMessage(file, clock.next(), options.inputTopic));
      options.onItem?.(index + 1, files.length);
    }
    engine.finish();
  } finally {
    await endStream(output);
  }
  return { engine, inputFiles: files.length, outputFile, sinkMessages };
}

