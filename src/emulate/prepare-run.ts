/**
 * Everything that must hold before a graph runs, checked up front so a run never fails half-way for a reason
 * known at start: the graph is valid, every module is found and loads, every required parameter has a value,
 * workspace files parse. Produces the engine's inputs.
 */
import { basename, relative } from 'node:path';
import { GraphEngine, type EngineObserver } from '../engine/graph-engine.js';
import type { Item } from '../engine/message.js';
import { payloadOf } from '../engine/message.js';
import type { Graph } from '../graph/model.js';
import { loadValidGraph } from '../graph/validate.js';
import type { HostServices } from '../wasm/host/host-imports.js';
import { MetricsRegistry } from '../wasm/host/metrics.js';
import type { RunLog } from '../wasm/host/run-log.js';
import { SchemaCatalog } from '../wasm/host/schema-catalog.js';
import { StateStore } from '../wasm/host/state-store.js';
import { loadComponentFile, type LoadedComponent } from '../wasm/load-component.js';
import { OperatorModule } from '../wasm/operator-module.js';
import type { OperatorInterface } from '../wasm/wit-names.js';
import { resolveModule, type ModuleRegistry } from './module-locator.js';
import { flatConfiguration, parseConfigurationParameters, parseParamFlags, resolveParameters, type ParameterOverrides } from './parameters.js';
import { loadWorkspace, type PayloadSchema, type Workspace } from './workspace.js';

export interface PrepareOptions {
  graphFile: string;
  /** The graph of `graphFile`, already loaded and valid (`aio test` loads it once for all of a file's cases). */
  graph?: Graph;
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
  log: RunLog;
  /** Called as each module loads, for progress output. */
  onModuleLoaded?: (loaded: LoadedModule) => void;
}

export interface LoadedModule {
  reference: string;
  path: string;
  cacheHit: boolean;
  millis: number;
}

export interface PreparedRun {
  graph: Graph;
  workspace: Workspace;
  services: HostServices;
  operators: Map<string, OperatorModule>;
  modules: LoadedModule[];
  /** Source admission: the payload schema from hostapp.env.list, when there is one. */
  admit: ((item: Item) => string | undefined) | undefined;
}

export async function prepareRun(options: PrepareOptions): Promise<PreparedRun> {
  const graph = options.graph ?? (await loadValidGraph(options.graphFile)).graph;
  const workspace = await loadWorkspace(options.graphFile);
  const tkParameters = workspace.hostEnv.get('TK_CONFIGURATION_PARAMETERS');
  const layers = [
    tkParameters ? parseConfigurationParameters(tkParameters, graph, workspace.hostEnvFile!) : new Map(),
    flatConfiguration(options.configuration ?? [], graph),
    options.parameterOverrides ?? new Map(),
    parseParamFlags(options.params),
  ];
  const parameters = resolveParameters(graph, layers);
  const moduleOps = graph.operations.filter((o) => o.module !== undefined);
  const paths = new Map<string, string>();
  for (const op of moduleOps) paths.set(op.name, await resolveModule(op, options.graphFile, options.moduleDirs, options.registry));

  const components = new Map<string, LoadedComponent>();
  const modules: LoadedModule[] = [];
  for (const op of moduleOps) {
    const path = paths.get(op.name)!;
    if (components.has(path)) continue;
    const started = performance.now();
    const component = await loadComponentFile(path);
    components.set(path, component);
    const loaded = { reference: op.module!, path: relative(process.cwd(), path) || path, cacheHit: component.cacheHit, millis: performance.now() - started };
    modules.push(loaded);
    options.onModuleLoaded?.(loaded);
  }

  const stateStore = new StateStore();
  stateStore.seed(options.stateStoreSeed ?? workspace.stateStoreSeed);
  const services: HostServices = { log: options.log, metrics: new MetricsRegistry(), stateStore, schemas: catalogOf(graph) };
  const schemas = workspace.payloadSchema ? [{ name: basename(workspace.payloadSchema.file), contentType: 'application/schema+json', content: workspace.payloadSchema.text }] : [];
  const operators = new Map<string, OperatorModule>();
  for (const op of moduleOps) {
    operators.set(
      op.name,
      OperatorModule.create({
        component: components.get(paths.get(op.name)!)!,
        operation: op.name,
        interface: op.type as OperatorInterface,
        configuration: { properties: parameters.get(op.name) ?? [], schemas },
        services,
      }),
    );
  }
  return { graph, workspace, services, operators, modules, admit: workspace.payloadSchema && admitBySchema(workspace.payloadSchema) };
}

/** The engine for a prepared run: its graph, modules, log and source admission; `sink` receives every output. */
export function createEngine(prepared: PreparedRun, sink: (item: Item) => void, observer?: EngineObserver): GraphEngine {
  return new GraphEngine({ graph: prepared.graph, operators: prepared.operators, log: prepared.services.log, admit: prepared.admit, sink, ...(observer === undefined ? {} : { observer }) });
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
