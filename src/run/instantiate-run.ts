/**
 * The second half of preparing a run, the half that can happen on another thread: load the modules of a checked
 * plan and instantiate its operations. Kept apart from the planning (prepare-run.ts) so the graph worker imports
 * only this, not graph validation and the registry client.
 */
import { basename, relative } from 'node:path';
import { GraphEngine, type EngineObserver } from '../engine/graph-engine.js';
import type { Item } from '../engine/message.js';
import { payloadOf } from '../engine/message.js';
import type { Graph } from '../graph/model.js';
import type { HostServices } from '../wasm/host/host-imports.js';
import { MetricsRegistry } from '../wasm/host/metrics.js';
import type { RunLog } from '../engine/run-log.js';
import { SchemaCatalog } from '../wasm/host/schema-catalog.js';
import { StateStore } from '../wasm/host/state-store.js';
import { loadComponentFile, type LoadedComponent } from '../wasm/load-component.js';
import { importsInference } from '../wasm/component-world.js';
import type { ModuleConfigurationInput } from '../wasm/operator-module.js';
import { breakBefore } from './break-before.js';
import type { HostPlacement } from '../wasm/hosting/module-host.js';
import { startModuleHost, type ModuleHostPool } from '../wasm/hosting/module-host-pool.js';
import type { Operator } from '../engine/operators.js';
import type { RunLimits } from './run-limits.js';
import type { PulledModule } from './resolve-module.js';
import type { OperatorInterface } from '../wasm/wit-names.js';
import { compilePayloadSchema, type PayloadSchema } from './payload-schema.js';
import { nativeNodes } from './native-nodes.js';
import type { BuiltinOptions } from '../builtins/builtin-transform.js';

export interface LoadedModule {
  reference: string;
  path: string;
  cacheHit: boolean;
  millis: number;
  sha256: string;
}

/** What a module-backed operation runs now: its module file and configuration. */
export interface HostedModule {
  /** The .wasm file, as the plan resolved it. */
  path: string;
  sha256: string;
  configuration: ModuleConfigurationInput;
}

/** An operation to start anew: with this module (and, when given, this configuration). */
export interface Replacement {
  operation: string;
  component: LoadedComponent;
  path: string;
  configuration?: ModuleConfigurationInput;
}

/**
 * A run with everything checked and resolved except loading the modules: plain data, so it can be handed to the
 * graph worker thread (see graph-worker.ts), which loads the modules on its side. Made by planRun (prepare-run.ts).
 */
export interface RunPlan {
  graph: Graph;
  /** Each module-backed operation's resolved configuration properties, by operation name. */
  parameters: Map<string, Array<[string, string]>>;
  /** Each module-backed operation's .wasm file, by operation name. */
  modulePaths: Map<string, string>;
  /** The operations whose module was pulled from the registry, by operation name (`--follow-tags` polls them). */
  pulledModules: Map<string, PulledModule>;
  stateStoreSeed: Array<[string, string]>;
  /** hostapp.env.list's payload schema (its text: a compiled validator cannot cross threads). */
  payloadSchema: { file: string; text: string } | undefined;
  limits: RunLimits;
  /** Where `wasi:nn` load-by-name finds models: the graph's `models/` folder, then the graph's own. */
  modelDirs: string[];
  /** `--break-on`: operations whose calls are preceded by a debugger statement. */
  breakOn: string[];
  /** How a pipeline's built-in transforms read what the docs leave open; the spec's recommendations when absent. */
  builtinOptions?: BuiltinOptions | undefined;
}

export interface PreparedRun {
  graph: Graph;
  services: RunServices;
  operators: Map<string, Operator>;
  modules: LoadedModule[];
  /** Source admission: the payload schema from hostapp.env.list, when there is one. */
  admit: ((item: Item) => string | undefined) | undefined;
  /** Each module-backed operation's module and configuration, as of now. */
  hosted: ReadonlyMap<string, HostedModule>;
  /** Where the module calls run (this thread or a module thread) and whether they are bounded. */
  placement: HostPlacement;
  limits: RunLimits;
  builtinOptions: BuiltinOptions | undefined;
  /**
   * Starts operations anew with another module or configuration (`init` again), synchronously, so the swap falls
   * between two items; the state store and the engine's windows are untouched. Every new instance starts before
   * any old one goes: if one cannot start, this throws and the old ones serve on.
   */
  replace(replacements: readonly Replacement[]): void;
  /** Ends the module instances (and their thread, if they have one); call once the run is over. */
  close(): Promise<void>;
}

/** The host services of a run, as the engine's side holds them. */
export type RunServices = HostServices & { metrics: MetricsRegistry; stateStore: StateStore };

/** Loads the plan's modules (each file once) and instantiates every module-backed operation. */
export async function instantiateRun(
  plan: RunPlan,
  log: RunLog,
  onModuleLoaded?: (loaded: LoadedModule) => void,
  /** Module threads to reuse, and to give the thread back to when the run closes (aio test's cases). */
  hostPool?: ModuleHostPool,
): Promise<PreparedRun> {
  const { graph } = plan;
  const moduleOps = graph.operations.filter((o) => o.module !== undefined);
  const components = new Map<string, LoadedComponent>();
  const modules: LoadedModule[] = [];
  for (const op of moduleOps) {
    const path = plan.modulePaths.get(op.name)!;
    if (components.has(path)) continue;
    const started = performance.now();
    const component = await loadComponentFile(path, plan.limits.memoryLimitMiB, plan.limits.callDeadlineMs > 0);
    components.set(path, component);
    const loaded = {
      reference: op.module!,
      path: relative(process.cwd(), path) || path,
      cacheHit: component.cacheHit,
      millis: performance.now() - started,
      sha256: component.sha256,
    };
    modules.push(loaded);
    onModuleLoaded?.(loaded);
    warnOfMissingFeature(graph, op.module!, component, log);
  }

  const stateStore = new StateStore();
  stateStore.seed(plan.stateStoreSeed);
  const services: RunServices = { log, metrics: new MetricsRegistry(), stateStore, schemas: catalogOf(graph) };
  const payloadSchema = plan.payloadSchema && compilePayloadSchema(plan.payloadSchema.file, plan.payloadSchema.text);
  const schemas = payloadSchema ? [{ name: basename(payloadSchema.file), contentType: 'application/schema+json', content: payloadSchema.text }] : [];
  const hosted = moduleOps.map((op) => ({
    component: components.get(plan.modulePaths.get(op.name)!)!,
    operation: op.name,
    interface: op.type as OperatorInterface,
    configuration: { properties: plan.parameters.get(op.name) ?? [], schemas },
  }));
  const current = new Map<string, HostedModule>(
    hosted.map((op) => [op.operation, { path: plan.modulePaths.get(op.operation)!, sha256: op.component.sha256, configuration: op.configuration }]),
  );
  const options = { operations: hosted, services, limits: plan.limits, modelDirs: plan.modelDirs };
  const host = hostPool ? await hostPool.take(options) : await startModuleHost(options);
  if (host.placement.kind === 'module-thread') {
    const message = `module calls run on a thread of their own, which costs some µs a call: ${host.placement.reason}`;
    log.write({ level: 'info', operation: 'host', context: 'host', message, time: new Date() });
  }
  const operators = new Map<string, Operator>(hosted.map((op, index) => [op.operation, host.operator(index)]));
  const replace = (replacements: readonly Replacement[]): void => {
    host.replace(
      replacements.map((r) => ({ operation: r.operation, component: r.component, configuration: r.configuration ?? current.get(r.operation)!.configuration })),
    );
    for (const r of replacements) {
      const was = current.get(r.operation)!;
      current.set(r.operation, { path: r.path, sha256: r.component.sha256, configuration: r.configuration ?? was.configuration });
    }
  };
  for (const operation of plan.breakOn) operators.set(operation, breakBefore(operators.get(operation)!, operation));
  return {
    graph,
    services,
    operators,
    modules,
    admit: payloadSchema && admitBySchema(payloadSchema),
    hosted: current,
    placement: host.placement,
    limits: plan.limits,
    builtinOptions: plan.builtinOptions,
    replace,
    close: async () => (hostPool ? hostPool.release(host) : host.close()),
  };
}

/**
 * The cluster runs a module importing wasi:nn only in a graph that asks for the feature
 * (`moduleRequirements.features: [{name: wasi-nn}]`); here it would run anyway, so say so before it surprises anyone.
 */
function warnOfMissingFeature(graph: Graph, reference: string, component: LoadedComponent, log: RunLog): void {
  if (!importsInference(component.world) || graph.features.some((feature) => feature.name === INFERENCE_FEATURE)) return;
  log.write({
    level: 'warn',
    operation: 'host',
    context: 'host',
    message: `module ${reference} imports wasi:nn, but the graph does not list the ${INFERENCE_FEATURE} feature: add moduleRequirements.features: [{name: ${INFERENCE_FEATURE}}], or the cluster will not give it inference`,
    time: new Date(),
  });
}

const INFERENCE_FEATURE = 'wasi-nn';

/**
 * The engine for a prepared run: its graph, modules, native nodes, log and source admission; `sink` receives every
 * output. `processingTime` is the clock a throttle reads: monotonic milliseconds, or the virtual clock of a test.
 */
export function createEngine(
  prepared: PreparedRun,
  sink: (item: Item, sinkOperation: string) => void,
  observer?: EngineObserver,
  processingTime: () => number = () => performance.now(),
): GraphEngine {
  const services = { stateStore: prepared.services.stateStore, processingTime, options: prepared.builtinOptions };
  return new GraphEngine({
    graph: prepared.graph,
    operators: prepared.operators,
    log: prepared.services.log,
    admit: prepared.admit,
    sink,
    nodes: nativeNodes(prepared.graph, services),
    ...(observer === undefined ? {} : { observer }),
  });
}

/** The graph's own `schemas:` served by the schema-registry import, at version 1.0.0 (the only one a graph can name). */
function catalogOf(graph: Graph): SchemaCatalog {
  const catalog = new SchemaCatalog();
  for (const s of graph.schemas) catalog.add({ name: s.name, version: '1.0.0', format: s.format === 'delta' ? 'delta' : 'json', content: s.schema });
  return catalog;
}

const utf8 = new TextDecoder();

function admitBySchema(schema: PayloadSchema): (item: Item) => string | undefined {
  const name = basename(schema.file);
  return (item) => {
    let value: unknown;
    try {
      value = JSON.parse(utf8.decode(payloadOf(item)));
    } catch {
      return `payload is not JSON, so it cannot match ${name}`;
    }
    if (schema.validate(value)) return undefined;
    const problems = (schema.validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
    return `payload does not match ${name}: ${problems}`;
  };
}
