/**
 * Runs one test case: the graph over the case's input folder on a virtual clock, then the sink messages, reduced
 * to the selected fields, against the expected JSON. The clock starts at a fixed instant and the i-th input file
 * arrives i milliseconds later, so window results never depend on wall time or machine speed.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { isAioError } from '../errors.js';
import { HlcClock } from '../engine/hlc.js';
import { listInputFiles, readInputMessage, readMessageProperties } from '../run/input-files.js';
import { formatJsonLine } from '../mqtt/json-line.js';
import { RunKernel } from '../emulator/run-kernel.js';
import { prepareRun } from '../run/prepare-run.js';
import type { PreparedRun } from '../run/instantiate-run.js';
import type { RunLimits } from '../run/run-limits.js';
import type { BuiltinOptions } from '../builtins/builtin-transform.js';
import type { ModuleHostPool } from '../wasm/hosting/module-host-pool.js';
import { ownTopic, toSinkMessage } from '../mqtt/sink-message.js';
import { parseJson } from '../files/parse-json.js';
import { MemoryLog } from '../engine/run-log.js';
import { diff, normalisePayload, reduce, type Mismatch } from './compare.js';
import { VIRTUAL_EPOCH_MS } from './case-file.js';
import type { TestDescriptor } from './descriptor.js';

const INPUT_TOPIC = 'sensors';
const SINK_TOPIC = 'processed';

export interface CaseResult {
  name: string;
  file: string;
  status: 'passed' | 'failed' | 'error';
  millis: number;
  /** Why it failed, in a sentence (timeout, setup error, count mismatch). */
  reason?: string;
  mismatches: Mismatch[];
  /** What the sink produced, reduced like the expectation (written by --update). */
  actual?: unknown;
  /** On failure: every item the graph dropped with a reason, and every module error, as the run logged them. */
  inside?: string[];
  updated?: boolean;
}

/** How every case of an `aio test` run runs. */
export interface CaseRunOptions {
  moduleDirs: readonly string[];
  update: boolean;
  /** Each module instance's call and start-up deadlines and memory cap (`--call-deadline`, …). */
  limits: RunLimits;
  /** Module threads shared by the cases, one after another. */
  hostPool?: ModuleHostPool | undefined;
  /** A pipeline's custom Graph nodes: `--graph-file <artifact>=<file>` values. */
  graphFiles?: readonly string[] | undefined;
  /** How a pipeline's built-in transforms read what the docs leave open. */
  builtinOptions?: BuiltinOptions | undefined;
}

export async function runCase(descriptor: TestDescriptor, options: CaseRunOptions): Promise<CaseResult> {
  const started = performance.now();
  const base = { name: descriptor.name, file: descriptor.file, mismatches: [] as Mismatch[] };
  const elapsed = () => Math.round(performance.now() - started);
  let outputs: Array<Record<string, unknown>>;
  const log = new MemoryLog('info');
  // What happened inside the graph, named in a failure so a missing sink message is explained, not just counted.
  const inside = (): { inside?: string[] } => {
    const lines = log.entries.filter((e) => e.context === 'host' && (e.level === 'warn' || e.level === 'error')).map((e) => `${e.operation}: ${e.message}`);
    return lines.length === 0 ? {} : { inside: lines };
  };
  let prepared: PreparedRun | undefined;
  try {
    prepared = await prepareRun({
      graphFile: descriptor.graph,
      graphFiles: options.graphFiles,
      builtinOptions: options.builtinOptions,
      moduleDirs: options.moduleDirs,
      params: [],
      limits: options.limits,
      hostPool: options.hostPool,
      log,
    });
    outputs = [];
    const kernel = new RunKernel(prepared, {
      output: (item) =>
        outputs.push(JSON.parse(formatJsonLine(toSinkMessage(item, ownTopic(item, SINK_TOPIC), 1), new Date(VIRTUAL_EPOCH_MS))) as Record<string, unknown>),
    });
    // As `aio emulate --data`: the i-th input file at the virtual start plus i milliseconds.
    let sent = 0;
    const clock = new HlcClock('aio-test', () => VIRTUAL_EPOCH_MS + sent++);
    const files = await listInputFiles(descriptor.input);
    const recorded = await readMessageProperties(descriptor.input);
    for (const [index, file] of files.entries()) {
      if (performance.now() - started > descriptor.timeoutMs) {
        return {
          ...base,
          status: 'failed',
          millis: elapsed(),
          reason: `timed out after ${descriptor.timeoutMs} ms with ${index} of ${files.length} inputs processed`,
          ...inside(),
        };
      }
      kernel.input(file, await readInputMessage(file, clock.next(), INPUT_TOPIC, recorded));
    }
    kernel.finish();
    if (performance.now() - started > descriptor.timeoutMs) {
      return { ...base, status: 'failed', millis: elapsed(), reason: `timed out after ${descriptor.timeoutMs} ms`, ...inside() };
    }
  } catch (error) {
    if (!isAioError(error)) throw error;
    return { ...base, status: 'error', millis: elapsed(), reason: error.oneLine() };
  } finally {
    await prepared?.close();
  }

  const reduced = outputs.map((o) => reduce(o, descriptor.select, descriptor.ignores));
  const expectedExists = existsSync(descriptor.expected);
  const expectedRaw = expectedExists ? parseJson(await readFile(descriptor.expected, 'utf8'), descriptor.expected) : undefined;
  // The AIO test runner's rules: one expected object is compared with the last sink message; a list with all of them,
  // in order; `[]` means no sink message at all.
  const single = expectedRaw !== undefined && !Array.isArray(expectedRaw);
  const actual = single ? reduced.at(-1) : reduced;
  if (options.update) {
    await writeFile(descriptor.expected, `${JSON.stringify(actual, null, 2)}\n`);
    return { ...base, status: 'passed', millis: elapsed(), actual, updated: true };
  }
  if (!expectedExists) {
    return {
      ...base,
      status: 'failed',
      millis: elapsed(),
      reason: `expected file ${descriptor.expected} does not exist (run with --update to create it from the actual output)`,
      actual,
      ...inside(),
    };
  }
  const expected = Array.isArray(expectedRaw) ? expectedRaw.map((e) => normalisePayload(e)) : normalisePayload(expectedRaw);
  const mismatches = diff(expected, actual);
  if (mismatches.length === 0) return { ...base, status: 'passed', millis: elapsed(), actual };
  const count = Array.isArray(expected) ? ` (expected ${expected.length} sink message(s), got ${reduced.length})` : '';
  return { ...base, status: 'failed', millis: elapsed(), reason: `sink output differs from ${descriptor.expected}${count}`, mismatches, actual, ...inside() };
}
