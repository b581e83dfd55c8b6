/**
 * `aio build`: builds every operator of a workspace (or the ones named) by its language, in parallel, into
 * `operators/<name>/bin/<release|debug>/<name>.wasm`. An operator whose fingerprint is unchanged is skipped; every
 * module, built or skipped, is checked against the workspace's graphs. One operator's failure never stops the
 * others: each result says what happened.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { AioError, errorMessage, isAioError } from '../errors.js';
import type { Graph } from '../graph/model.js';
import { sha256Hex } from '../wasm/component-world.js';
import { listOperators } from '../workspace/find-workspace.js';
import type { JsEngine, Language, OperatorManifest } from '../workspace/operator-manifest.js';
import { BuildFailure } from './build-failure.js';
import { externalOnly, fingerprint, readStamp, writeStamp, type Stamp } from './build-stamp.js';
import { checkAgainstGraphs, workspaceGraphs } from './graph-check.js';
import { bundleOperator, componentizeBundle, DEFAULT_JS_ENGINE, JS_TOOLCHAIN } from './js-builder.js';
import { buildPython, pythonToolchain } from './python-builder.js';
import { buildRust, rustToolchain } from './rust-builder.js';
import { witText } from './wit-world.js';

export type BuildMode = 'release' | 'debug';

export interface BuildOptions {
  root: string;
  /** Operators to build; all when empty. */
  names?: readonly string[];
  mode: BuildMode;
  /** Engine for JavaScript/TypeScript operators that do not pin one in operator.json. */
  jsEngine?: JsEngine;
  /** Rebuild even when up to date. */
  force?: boolean;
  /** Builds at once (default: the machine's cores). */
  concurrency?: number;
  /** Progress, as each operator starts and ends. */
  onEvent?: (event: BuildEvent) => void;
  env?: NodeJS.ProcessEnv;
}

export type BuildEvent = { type: 'start'; operator: string; language: Language; engine?: JsEngine } | { type: 'end'; result: OperatorBuild };

export interface OperatorBuild {
  name: string;
  language: Language;
  /** The JavaScript engine, for JavaScript and TypeScript operators. */
  engine?: JsEngine;
  status: 'built' | 'up-to-date' | 'failed';
  /** The module, relative to the workspace root (also when it failed the graph check). */
  file: string;
  size?: number;
  sha256?: string;
  /** Operator interfaces the module exports. */
  exports?: string[];
  seconds: number;
  error?: { code: string; message: string; hint?: string; diagnostics: string[] };
}

export interface BuildReport {
  root: string;
  mode: BuildMode;
  operators: OperatorBuild[];
  /** True when every operator built (or was up to date) and fits the graphs. */
  ok: boolean;
}

export async function buildWorkspace(options: BuildOptions): Promise<BuildReport> {
  const all = listOperators(options.root);
  const selected = selectOperators(all, options.names ?? [], options.root);
  const [wit, graphs] = await Promise.all([witText(), workspaceGraphs(options.root)]);
  const queue = [...selected];
  const results = new Map<string, OperatorBuild>();
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? availableParallelism(), queue.length)) }, async () => {
    for (let op = queue.shift(); op !== undefined; op = queue.shift()) {
      const engine = isJs(op.language) ? (op.jsEngine ?? options.jsEngine ?? DEFAULT_JS_ENGINE) : undefined;
      options.onEvent?.({ type: 'start', operator: op.name, language: op.language, ...(engine ? { engine } : {}) });
      const result = await buildOne(op, engine, wit, graphs, options);
      results.set(op.name, result);
      options.onEvent?.({ type: 'end', result });
    }
  });
  await Promise.all(workers);
  const operators = selected.map((op) => results.get(op.name)!);
  return { root: options.root, mode: options.mode, operators, ok: operators.every((o) => o.status !== 'failed') };
}

function selectOperators(all: OperatorManifest[], names: readonly string[], root: string): OperatorManifest[] {
  if (all.length === 0) {
    throw new AioError('AIO_BUILD_NO_OPERATORS', `the workspace ${root} has no operators (no folders under operators/)`, {
      hint: 'Add one with `aio operator new <name> --type map`.',
    });
  }
  if (names.length === 0) return all;
  const unknown = names.filter((name) => !all.some((op) => op.name === name));
  if (unknown.length > 0) {
    throw new AioError('AIO_BUILD_OPERATOR_UNKNOWN', `no operator ${unknown.map((n) => JSON.stringify(n)).join(', ')} in ${join(root, 'operators')}`, {
      hint: `Operators here: ${all.map((op) => op.name).join(', ')}.`,
    });
  }
  return all.filter((op) => names.includes(op.name));
}

const isJs = (language: Language): boolean => language === 'javascript' || language === 'typescript';

async function buildOne(
  op: OperatorManifest,
  engine: JsEngine | undefined,
  wit: string,
  graphs: readonly Graph[],
  options: BuildOptions,
): Promise<OperatorBuild> {
  const started = performance.now();
  const file = join(op.dir, 'bin', options.mode, `${op.name}.wasm`);
  const base: OperatorBuild = {
    name: op.name,
    language: op.language,
    ...(engine ? { engine } : {}),
    status: 'failed',
    file: relative(options.root, file),
    seconds: 0,
  };
  const seconds = (): number => Math.round((performance.now() - started) / 10) / 100;
  try {
    const settings = [
      `mode=${options.mode}`,
      `kinds=${op.kinds.join(',')}`,
      `entry=${op.entry ?? ''}`,
      `wit=${sha256Hex(Buffer.from(wit))}`,
      `toolchain=${await toolchainId(op, engine, options)}`,
    ];
    const previous = options.force ? undefined : await readStamp(file);
    let stamp: Stamp;
    let status: OperatorBuild['status'];
    if (previous && previous.fingerprint === (await fingerprint({ dir: op.dir, externalInputs: previous.externalInputs, settings }))) {
      stamp = previous;
      status = 'up-to-date';
    } else {
      const { bytes, externalInputs } = await compile(op, engine, options);
      const { inspectComponent } = await import('../wasm/component-world.js');
      const world = await inspectComponent(bytes, file);
      await writeAtomically(file, bytes);
      stamp = {
        fingerprint: await fingerprint({ dir: op.dir, externalInputs, settings }),
        externalInputs,
        exports: world.operators,
        sha256: world.sha256,
        size: bytes.length,
      };
      await writeStamp(file, stamp);
      status = 'built';
    }
    const result: OperatorBuild = { ...base, status, size: stamp.size, sha256: stamp.sha256, exports: stamp.exports };
    const mismatches = checkAgainstGraphs(op.name, file, stamp.exports, graphs);
    if (mismatches.length > 0) {
      const needs = [...new Set(mismatches.map((m) => m.needs))].join(', ');
      return failed(
        result,
        new BuildFailure(
          'AIO_BUILD_INTERFACE_MISSING',
          `${op.name}.wasm does not export ${needs}, which the graph asks of it`,
          mismatches.map((m) => m.line),
          `Implement the ${needs} operator in ${op.name}, or change the operation's type or module in the graph.`,
        ),
        seconds(),
      );
    }
    return { ...result, seconds: seconds() };
  } catch (error) {
    return failed(base, error, seconds());
  }
}

function failed(result: OperatorBuild, error: unknown, seconds: number): OperatorBuild {
  if (!isAioError(error)) throw error;
  const diagnostics = error instanceof BuildFailure ? error.diagnostics : [];
  return {
    ...result,
    status: 'failed',
    seconds,
    error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), diagnostics },
  };
}

async function toolchainId(op: OperatorManifest, engine: JsEngine | undefined, options: BuildOptions): Promise<string> {
  if (engine !== undefined) return `${JS_TOOLCHAIN[engine]} ${JS_TOOLCHAIN.bundler}`;
  if (op.language === 'rust') return rustToolchain(op, options.root, options.env);
  return (await pythonToolchain(op, options.root, options.env)).version;
}

async function compile(op: OperatorManifest, engine: JsEngine | undefined, options: BuildOptions): Promise<{ bytes: Uint8Array; externalInputs: string[] }> {
  const debug = options.mode === 'debug';
  if (engine !== undefined) {
    if (op.kinds.length === 0) {
      throw new BuildFailure(
        'AIO_BUILD_NO_OPERATOR_EXPORTS',
        `${op.name}: ${op.entry} exports no operator (map, filter, branch, accumulate or delay)`,
        [],
        'Export one, e.g. `export const map = defineMap({ process(message) { return message; } })`, or list them in operator.json: {"operators": ["map"]}.',
      );
    }
    const bundle = await bundleOperator(op, engine, { debug });
    try {
      return { bytes: await componentizeBundle(bundle.code, op.kinds, engine, op.entry!), externalInputs: externalOnly(op.dir, bundle.inputs, process.cwd()) };
    } catch (error) {
      throw isAioError(error) ? error : new BuildFailure('AIO_BUILD_COMPONENTIZE_FAILED', `${op.name}: ${errorMessage(error)}`);
    }
  }
  if (op.language === 'rust') return { bytes: await buildRust(op, debug, options.env), externalInputs: [] };
  return { bytes: await buildPython(op, options.root, options.env), externalInputs: [] };
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, file);
}
