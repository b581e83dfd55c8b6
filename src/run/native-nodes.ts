/**
 * The engine nodes of a pipeline's native operations: built-in transforms compiled from their configuration, and
 * destinations. Compiled here, at the start of a run (also on the graph worker's thread, which gets the plan as
 * plain data); the configuration was checked when the pipeline was loaded, so a finding here is a bug.
 */
import type { GraphNode, NodeContext } from '../engine/operators.js';
import type { Graph } from '../graph/model.js';
import { DEFAULT_BUILTIN_OPTIONS, type BuiltinFinding, type BuiltinOptions, type BuiltinServices } from '../builtins/builtin-transform.js';
import { compileBuiltin } from '../builtins/transforms/index.js';
import { destinationNode } from '../builtins/destination.js';
import type { StateStore } from '../wasm/host/state-store.js';
import { compilePayloadSchema, type PayloadSchema } from './payload-schema.js';

export type NodeFactory = (context: NodeContext) => GraphNode;

export interface NativeServices {
  stateStore: StateStore;
  /** Milliseconds on the run's processing clock: monotonic in live runs, the virtual clock in `aio test`. */
  processingTime: () => number;
  options?: BuiltinOptions;
}

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

export function nativeNodes(graph: Graph, services: NativeServices): Map<string, NodeFactory> {
  const nodes = new Map<string, NodeFactory>();
  const builtinServices: BuiltinServices = {
    stateStoreGet: (key) => {
      const { value } = services.stateStore.get(encoder.encode(key));
      return value === undefined ? undefined : utf8.decode(value);
    },
    processingTime: services.processingTime,
    options: services.options ?? DEFAULT_BUILTIN_OPTIONS,
  };
  for (const op of graph.operations) {
    const native = op.native;
    if (native?.kind === 'destination') nodes.set(op.name, (context) => destinationNode(native, context));
    if (native?.kind !== 'builtin') continue;
    const { builtin, findings } = compileBuiltin(native.artifact, native.configuration);
    const errors = findings.filter((f: BuiltinFinding) => f.severity === 'error');
    if (builtin === undefined || errors.length > 0) {
      throw new Error(`built-in node ${native.node} was checked but does not compile: ${errors.map((f: BuiltinFinding) => f.message).join('; ')}`);
    }
    const schema = native.schema?.text === undefined ? undefined : compilePayloadSchema(native.schema.file!, native.schema.text);
    const services = schema === undefined ? builtinServices : { ...builtinServices, validateSchema: (payload: unknown) => schemaProblems(schema, payload) };
    nodes.set(op.name, (context) => builtin.instantiate(context, services));
  }
  return nodes;
}

/** Why the payload does not conform, or undefined when it does. */
function schemaProblems(schema: PayloadSchema, payload: unknown): string | undefined {
  if (schema.validate(payload)) return undefined;
  return (schema.validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}
