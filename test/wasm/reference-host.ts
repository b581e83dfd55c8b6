/**
 * The two sides of the differential test: one case (a module, its runs, each run's calls) runs under aio's jco host
 * in this process and under Wasmtime in test/reference-host/wasmtime_host.py, and both report in one JSON form:
 * each call's result (`ok` with the value, `err` with the error result's message, or `trap`), the init answer, the
 * logger's entries and the metrics. Items travel as JSON with base64 bytes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createMessage, type Item } from '../../src/engine/message.js';
import type { Hlc } from '../../src/engine/hlc.js';
import { OperatorFailure } from '../../src/engine/operator-failure.js';
import { isAioError } from '../../src/errors.js';
import { loadComponentFile } from '../../src/wasm/load-component.js';
import { OperatorModule } from '../../src/wasm/operator-module.js';
import type { OperatorInterface } from '../../src/wasm/wit-names.js';
import { testServices } from '../helpers/components.js';
import { repoRoot } from '../helpers/paths.js';

export type CaseItem =
  | { kind: 'message'; timestamp: Hlc; topic: string; contentType: string | null; payload: string; userProperties: Array<[string, string]> }
  | { kind: 'bytes'; timestamp: Hlc; bytes: string };

export interface Run {
  interface: OperatorInterface;
  properties?: Array<[string, string]>;
  /** Each call's arguments as the WIT function takes them (branch: hlc, item; accumulate: staged, batch; delay: item, hlc). */
  calls: unknown[][];
}

export interface Case {
  component: string;
  runs: Run[];
}

export type CallResult = { ok: unknown } | { err: string } | { trap: true };

export interface RunResult {
  init: boolean;
  calls: CallResult[];
  logs: Array<{ level: string; context: string; message: string }>;
  /** [name, labels as sorted [key, value] pairs, total] */
  counters: Array<[string, Array<[string, string]>, number]>;
  /** [name, labels, count, sum, min, max] */
  histograms: Array<[string, Array<[string, string]>, number, number, number, number]>;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytesOf = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

export function message(
  payload: string,
  timestamp: Hlc,
  extra: { topic?: string; contentType?: string; userProperties?: Array<[string, string]> } = {},
): CaseItem {
  return {
    kind: 'message',
    timestamp,
    topic: b64(Buffer.from(extra.topic ?? 'factory/line1')),
    contentType: extra.contentType ?? 'application/json',
    payload: b64(Buffer.from(payload)),
    userProperties: extra.userProperties ?? [],
  };
}

export function rawBytes(payload: string, timestamp: Hlc): CaseItem {
  return { kind: 'bytes', timestamp, bytes: b64(Buffer.from(payload)) };
}

/** The calls of one interface on `items`, each as the WIT arguments (the item's own timestamp where one is needed). */
export function callsFor(iface: OperatorInterface, items: CaseItem[]): unknown[][] {
  if (iface === 'branch') return items.map((item) => [item.timestamp, item]);
  if (iface === 'delay') return items.map((item) => [item, item.timestamp]);
  if (iface === 'accumulate')
    return [
      [items[0], items.slice(1)],
      [items[0], []],
    ];
  return items.map((item) => [item]);
}

function toItem(item: CaseItem): Item {
  if (item.kind === 'bytes') return { kind: 'bytes', timestamp: item.timestamp, bytes: bytesOf(item.bytes) };
  return createMessage({
    timestamp: item.timestamp,
    topic: bytesOf(item.topic),
    payload: bytesOf(item.payload),
    ...(item.contentType === null ? {} : { contentType: item.contentType }),
    userProperties: item.userProperties,
  });
}

function fromItem(item: Item): unknown {
  if (item.kind === 'bytes') return { kind: 'bytes', bytes: b64(item.bytes) };
  if (item.kind !== 'message') return { kind: item.kind };
  return {
    kind: 'message',
    timestamp: item.timestamp,
    topic: b64(item.topic),
    contentType: item.contentType ?? null,
    payload: b64(item.payload),
    userProperties: item.userProperties,
  };
}

const sortedLabels = (labels: Array<{ key: string; value: string }>): Array<[string, string]> =>
  labels.map((l): [string, string] => [l.key, l.value]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** The case under aio's own host (jco), as the emulator runs modules. */
export async function runUnderAio(testCase: Case): Promise<RunResult[]> {
  const component = await loadComponentFile(testCase.component);
  const results: RunResult[] = [];
  for (const run of testCase.runs) {
    const services = testServices();
    const operation = `differential/${run.interface}`;
    let module: OperatorModule | undefined;
    try {
      module = OperatorModule.create({ component, operation, interface: run.interface, configuration: { properties: run.properties ?? [] }, services });
    } catch (error) {
      if (!isAioError(error) || error.code !== 'AIO_MODULE_INIT_REJECTED') throw error;
    }
    const calls: CallResult[] = [];
    for (const args of module ? run.calls : []) calls.push(call(module!, run.interface, args));
    await module?.close();
    const series = services.metrics.all();
    results.push({
      init: module !== undefined,
      calls,
      // What a module writes to WASI stdout/stderr aio also logs; the reference host discards it: compare the logger's.
      logs: services.log.entries
        .filter((e) => e.context !== 'stdout' && e.context !== 'stderr')
        .map((e) => ({ level: e.level, context: e.context, message: e.message })),
      counters: series
        .flatMap((s) => (s.kind === 'counter' ? [[s.name, sortedLabels(s.labels), Number(s.value)] as RunResult['counters'][number]] : []))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      histograms: series
        .flatMap((s) => (s.kind === 'histogram' ? [[s.name, sortedLabels(s.labels), s.count, s.sum, s.min, s.max] as RunResult['histograms'][number]] : []))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    });
  }
  return results;
}

function call(module: OperatorModule, iface: OperatorInterface, args: unknown[]): CallResult {
  try {
    if (iface === 'map') return { ok: fromItem(module.map(toItem(args[0] as CaseItem))) };
    if (iface === 'filter') return { ok: module.filter(toItem(args[0] as CaseItem)) };
    if (iface === 'branch') return { ok: module.branch(toItem(args[1] as CaseItem)) };
    if (iface === 'delay') return { ok: module.delay(toItem(args[0] as CaseItem)) };
    return { ok: fromItem(module.accumulate(toItem(args[0] as CaseItem), (args[1] as CaseItem[]).map(toItem))) };
  } catch (error) {
    if (!(error instanceof OperatorFailure)) throw error;
    if (error.kind === 'error') return { err: error.detail };
    return { trap: true };
  }
}

const run = promisify(execFile);

/** The same case under Wasmtime (PyPI `wasmtime`), in a Python process of its own. */
export async function runUnderWasmtime(testCase: Case, dir: string): Promise<RunResult[]> {
  const file = join(dir, `case-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(testCase));
  const { stdout } = await run('python3', [join(repoRoot, 'test', 'reference-host', 'wasmtime_host.py'), file], { maxBuffer: 256 * 1024 * 1024 });
  const results = (JSON.parse(stdout) as { results: Array<RunResult & { calls: Array<CallResult | { trap: string }> }> }).results;
  return results.map((r) => ({ ...r, calls: r.calls.map((c) => ('trap' in c ? { trap: true } : c)) }));
}

/** Whether Python's wasmtime package (with its component support) is importable; the reason when not. */
export function wasmtimeMissing(): string | undefined {
  try {
    execFileSync('python3', ['-c', 'import wasmtime.component'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return `python3 with the wasmtime package is not installed (${WASMTIME_INSTALL})`;
  }
}

export const WASMTIME_INSTALL = 'pip install wasmtime==50.0.1';
