/**
 * The parameters each operation's `init` receives: graph defaults, overridden by `TK_CONFIGURATION_PARAMETERS`
 * from hostapp.env.list, overridden by `--param`. A required parameter left without a value stops the run before
 * it starts, pointing at the line that declares it.
 */
import { AioError } from '../errors.js';
import type { Graph } from '../graph/model.js';
import { closest } from '../util/suggest.js';

/** Operation name → parameter key → value. */
export type ParameterOverrides = Map<string, Map<string, string>>;

/** `--param <operation>.<key>=<value>`; the operation name may hold `/` and `.`, so the key is after the last dot. */
export function parseParamFlags(values: readonly string[]): ParameterOverrides {
  const overrides: ParameterOverrides = new Map();
  for (const value of values) {
    const equals = value.indexOf('=');
    const target = equals === -1 ? value : value.slice(0, equals);
    const dot = target.lastIndexOf('.');
    if (equals === -1 || dot <= 0 || dot === target.length - 1) {
      throw new AioError('AIO_EMULATE_BAD_PARAM', `--param ${value} is not <operation>.<key>=<value>`, {
        hint: 'for example --param module-temperature/filter.temperature_upper_bound=100',
      });
    }
    setOverride(overrides, target.slice(0, dot), target.slice(dot + 1), value.slice(equals + 1));
  }
  return overrides;
}

/**
 * `TK_CONFIGURATION_PARAMETERS`: a JSON object, either per operation (`{"<operation>": {"<key>": "<value>"}}`)
 * or flat (`{"<key>": "<value>"}`, applied to every operation that declares the key).
 */
export function parseConfigurationParameters(text: string, graph: Graph, source: string): ParameterOverrides {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AioError('AIO_EMULATE_BAD_CONFIGURATION_PARAMETERS', `${source}: TK_CONFIGURATION_PARAMETERS is not JSON: ${(error as Error).message}`, {
      hint: 'write it as TK_CONFIGURATION_PARAMETERS={"<operation>":{"<key>":"<value>"}} on one line',
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AioError('AIO_EMULATE_BAD_CONFIGURATION_PARAMETERS', `${source}: TK_CONFIGURATION_PARAMETERS must be a JSON object`, {
      hint: 'write it as {"<operation>":{"<key>":"<value>"}} or {"<key>":"<value>"}',
    });
  }
  const overrides: ParameterOverrides = new Map();
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'object' && value !== null) {
      for (const [param, v] of Object.entries(value)) setOverride(overrides, key, param, String(v));
    } else {
      setForEveryDeclarer(overrides, graph, key, String(value));
    }
  }
  return overrides;
}

/**
 * Graph-wide `key → value` configuration, as a DataflowGraph's `configuration` (and an aio.yaml environment)
 * gives it: each value goes to every operation whose module configuration declares that parameter.
 */
export function flatConfiguration(entries: ReadonlyArray<{ key: string; value: string }>, graph: Graph): ParameterOverrides {
  const overrides: ParameterOverrides = new Map();
  for (const { key, value } of entries) setForEveryDeclarer(overrides, graph, key, value);
  return overrides;
}

function setForEveryDeclarer(overrides: ParameterOverrides, graph: Graph, key: string, value: string): void {
  const operations = new Set(graph.operations.map((o) => o.name));
  for (const config of graph.moduleConfigurations) {
    if (operations.has(config.name) && config.parameters.some((p) => p.id === key || p.name === key)) setOverride(overrides, config.name, key, value);
  }
}

/** Later sources win: `layers` in increasing priority. */
export function resolveParameters(graph: Graph, layers: readonly ParameterOverrides[]): Map<string, Array<[string, string]>> {
  const moduleOps = graph.operations.filter((o) => o.module !== undefined).map((o) => o.name);
  for (const layer of layers) {
    for (const operation of layer.keys()) {
      if (!moduleOps.includes(operation)) {
        const guess = closest(operation, moduleOps);
        throw new AioError('AIO_EMULATE_UNKNOWN_OPERATION', `parameters were given for ${operation}, which is not a module operation of ${graph.file}`, {
          hint: guess ? `did you mean ${guess}?` : `operations with modules: ${moduleOps.join(', ')}`,
        });
      }
    }
  }
  const result = new Map<string, Array<[string, string]>>();
  for (const operation of moduleOps) {
    const declared = graph.moduleConfigurations.find((c) => c.name === operation)?.parameters ?? [];
    const values = new Map<string, string>();
    // Declared parameters reach the module under their `name`; an override may use the id or the name.
    for (const p of declared) if (p.default !== undefined) values.set(p.name, p.default);
    for (const layer of layers) {
      for (const [key, value] of layer.get(operation) ?? []) {
        const p = declared.find((d) => d.id === key || d.name === key);
        values.set(p ? p.name : key, value);
      }
    }
    for (const p of declared) {
      if (p.required && !values.has(p.name)) {
        throw new AioError('AIO_EMULATE_MISSING_PARAMETER', `operation ${operation} requires parameter ${p.name}, and it has no default and no value`, {
          hint: `pass --param ${operation}.${p.name}=<value>, or set it in TK_CONFIGURATION_PARAMETERS in hostapp.env.list`,
          location: { file: graph.file, line: p.pos.line, column: p.pos.column },
        });
      }
    }
    result.set(operation, [...values]);
  }
  return result;
}

function setOverride(overrides: ParameterOverrides, operation: string, key: string, value: string): void {
  let forOperation = overrides.get(operation);
  if (!forOperation) overrides.set(operation, (forOperation = new Map()));
  forOperation.set(key, value);
}
