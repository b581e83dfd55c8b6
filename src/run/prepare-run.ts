/**
 * Everything that must hold before a graph runs, checked up front so a run never fails half-way for a reason
 * known at start: the graph is valid, every module is found and loads, every required parameter has a value,
 * workspace files parse. planRun checks all but the loading; instantiateRun (instantiate-run.ts) loads.
 */
import { dirname, join } from 'node:path';
import { AioError } from '../errors.js';
import { closest } from '../util/suggest.js';
import type { Graph } from '../graph/model.js';
import { loadRunGraph, loadRunPipeline } from './run-graph.js';
import type { Manifest } from '../pipeline/model.js';
import type { BuiltinOptions } from '../builtins/builtin-transform.js';
import type { RunLog } from '../engine/run-log.js';
import type { LoadedModule, PreparedRun, RunPlan } from './instantiate-run.js';
import { resolveModule, type PulledModule, type ModuleRegistry } from './resolve-module.js';
import { flatConfiguration, parseConfigurationParameters, parseParamFlags, resolveParameters, type ParameterOverrides } from './parameters.js';
import { loadWorkspace } from './workspace-files.js';
import { DEFAULT_RUN_LIMITS, type RunLimits } from './run-limits.js';
import type { ModuleHostPool } from '../wasm/hosting/module-host-pool.js';

export interface PrepareOptions {
  graphFile: string;
  /** The graph of `graphFile`, already loaded and valid (`aio test` loads it once for all of a file's cases). */
  graph?: Graph;
  /** The pipeline of `graphFile` as an aio.yaml environment bound it (`aio emulate --env`), run instead of the file. */
  pipeline?: Manifest | undefined;
  /** `--modules` folders, searched before the workspace. */
  moduleDirs: readonly string[];
  /** Where modules not found locally are pulled from, when configured. */
  registry?: ModuleRegistry | undefined;
  /** `--param <operation>.<key>=<value>` values. */
  params: readonly string[];
  /** Extra parameter layer above the workspace's (used by `aio test` cases); `--param` still wins. */
  parameterOverrides?: ParameterOverrides;
  /** Graph-wide configuration from an aio.yaml environment, above the workspace's and below `--param`. */
  configuration?: ReadonlyArray<{ key: string; value: string }>;
  /** Replaces statestore.json's seed when given. */
  stateStoreSeed?: Array<[string, string]>;
  /** Call and start-up deadlines and the memory cap of each module instance; DEFAULT_RUN_LIMITS when not given. */
  limits?: RunLimits | undefined;
  log: RunLog;
  /** Called as each module loads, for progress output. */
  onModuleLoaded?: (loaded: LoadedModule) => void;
  /** Module threads to reuse between runs (aio test's cases). */
  hostPool?: ModuleHostPool | undefined;
  /** `--break-on`: module-backed operations to pause before, for a debugger (break-before.ts). */
  breakOn?: readonly string[] | undefined;
  /** A pipeline's custom Graph nodes: `--graph-file <artifact>=<file>` values (node-graphs.ts). */
  graphFiles?: readonly string[] | undefined;
  /** How a pipeline's built-in transforms read what the docs leave open (`--map-overlap`, `--window-limit`, …). */
  builtinOptions?: BuiltinOptions | undefined;
}

export async function prepareRun(options: PrepareOptions): Promise<PreparedRun> {
  // Loaded here, not up front: on the embedded broker only the graph worker loads modules, and it imports this itself.
  const { instantiateRun } = await import('./instantiate-run.js');
  return instantiateRun(await planRun(options), options.log, options.onModuleLoaded, options.hostPool);
}

/** What planning takes: all of PrepareOptions but what only loading needs. */
export type PlanOptions = Omit<PrepareOptions, 'log' | 'onModuleLoaded'>;

/** Everything that can be checked before the modules load: graph, workspace files, parameters, module files. */
export async function planRun(options: PlanOptions): Promise<RunPlan> {
  const sources = { flags: options.graphFiles ?? [], registry: options.registry };
  const graph =
    options.graph ?? (options.pipeline === undefined ? await loadRunGraph(options.graphFile, sources) : await loadRunPipeline(options.pipeline, sources));
  const workspace = await loadWorkspace(options.graphFile);
  const tkParameters = workspace.hostEnv.get('TK_CONFIGURATION_PARAMETERS');
  const layers = [
    tkParameters ? parseConfigurationParameters(tkParameters, graph, workspace.hostEnvFile!) : new Map(),
    flatConfiguration(options.configuration ?? [], graph),
    options.parameterOverrides ?? new Map(),
    parseParamFlags(options.params),
  ];
  const parameters = resolveParameters(graph, layers);
  const modulePaths = new Map<string, string>();
  const pulledModules = new Map<string, PulledModule>();
  for (const op of graph.operations) {
    if (op.module === undefined) continue;
    const resolved = await resolveModule(op, op.origin?.graphFile ?? options.graphFile, options.moduleDirs, options.registry);
    modulePaths.set(op.name, resolved.file);
    if (resolved.pulled) pulledModules.set(op.name, resolved.pulled);
  }
  const schema = workspace.payloadSchema;
  for (const operation of options.breakOn ?? []) {
    if (modulePaths.has(operation)) continue;
    const modules = [...modulePaths.keys()];
    const near = closest(operation, modules);
    throw new AioError('AIO_EMULATE_BREAK_ON_UNKNOWN', `--break-on ${operation}: the graph has no module-backed operation of that name`, {
      hint: `${near ? `Did you mean ${near}? ` : ''}Module-backed operations: ${modules.join(', ') || 'none'}.`,
    });
  }
  return {
    graph,
    parameters,
    modulePaths,
    pulledModules,
    stateStoreSeed: options.stateStoreSeed ?? workspace.stateStoreSeed,
    payloadSchema: schema && { file: schema.file, text: schema.text },
    limits: options.limits ?? DEFAULT_RUN_LIMITS,
    modelDirs: [join(dirname(options.graphFile), 'models'), dirname(options.graphFile)],
    breakOn: [...(options.breakOn ?? [])],
    builtinOptions: options.builtinOptions,
  };
}
