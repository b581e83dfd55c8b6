import type { Position } from '../diagnostics.js';

/**
 * The one model of a graph definition. Built once by `graph/parse.ts` and consumed by every feature (emulator,
 * tests, registry, deployment); nothing downstream re-reads YAML. Every element knows where it was written.
 */

export const OPERATION_TYPES = ['source', 'map', 'filter', 'branch', 'concatenate', 'accumulate', 'delay', 'sink'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

/** Operation types that run a WebAssembly module; the others are built in. */
export const MODULE_OPERATION_TYPES: ReadonlySet<OperationType> = new Set(['map', 'filter', 'branch', 'accumulate', 'delay']);

export type Arm = 'False' | 'True';

export interface Operation {
  name: string;
  /** Undefined when the file names an unknown type (already reported by the schema). */
  type: OperationType | undefined;
  /** OCI reference relative to the registry endpoint, or a bare local name; undefined when absent or null. */
  module: string | undefined;
  /** Where the operation's mapping starts. */
  pos: Position;
  namePos: Position;
  typePos: Position;
  modulePos: Position | undefined;
  /**
   * Set on operations made from a DataflowGraph pipeline (pipeline/flatten.ts): what the operation stands for when
   * it is not a graph definition's own operation. Plain data: a run plan crosses to a worker thread.
   */
  native?: NativeOperation;
  /** An operation inlined from a WASM graph node of a pipeline: that node, and the graph file it came from. */
  origin?: { node: string; graphFile: string };
}

/** A pipeline's header action on a destination (DataflowGraph `destinationSettings.headers`). */
export interface HeaderAction {
  actionType: 'AddIfNotPresent' | 'AddOrReplace' | 'Remove';
  key: string;
  value?: string;
}

/** A pipeline node that the engine runs natively instead of through a module. */
export type NativeOperation =
  /** A Source node: takes the items whose topic matches one of its filters. */
  | { kind: 'source'; node: string; filters: string[] }
  /** A built-in transform Graph node (`azureiotoperations/graph-dataflow-*`), compiled from its configuration at run start. */
  | {
      kind: 'builtin';
      node: string;
      /** Which of the six: `map`, `filter`, `branch`, `concatenate`, `window`, `throttle`. */
      transform: string;
      artifact: string;
      configuration: Array<{ key: string; value: string }>;
      /** The schema its incoming connection names (`from.schema.schemaRef`), for a filter's `validateSchema`: the reference, and once loaded its file and text. */
      schema?: { ref: string; file?: string; text?: string };
    }
  /** A Destination node: publishes to `topic` (static or `${outputTopic}` templated) after its header actions. */
  | { kind: 'destination'; node: string; endpoint: string; topic: string; headers: HeaderAction[] };

export interface ConnectionEnd {
  name: string;
  pos: Position;
}

export interface Connection {
  /** Index in the file's `connections` list, for messages that match the cluster's (`spec.connections[2]`). */
  index: number;
  from: ConnectionEnd & {
    /** Normalised arm; an unquoted YAML boolean is reported and then read as the arm it was meant to be. */
    arm: Arm | undefined;
    armPos: Position | undefined;
    schemaName: string | undefined;
  };
  to: ConnectionEnd;
  pos: Position;
}

export interface Parameter {
  /** The key under `parameters:`. */
  id: string;
  name: string;
  description: string | undefined;
  required: boolean;
  default: string | undefined;
  pos: Position;
}

export interface ModuleConfiguration {
  /** Names the operation it configures (convention `<module>/<operator>`). */
  name: string;
  parameters: Parameter[];
  pos: Position;
  namePos: Position;
}

export interface SchemaDefinition {
  name: string;
  format: string;
  schema: string;
  pos: Position;
}

export interface Placeholder {
  /** The variable's name, e.g. VERSION for `${VERSION}`. */
  variable: string;
  /** Dotted path of the value holding it, e.g. `metadata.version`. */
  path: string;
  pos: Position;
}

export interface GraphMetadata {
  schema: string | undefined;
  name: string | undefined;
  version: string | undefined;
  description: string | undefined;
  vendor: string | undefined;
}

export interface ModuleFeature {
  name: string;
  value: string | undefined;
}

/** A value and where it is written. */
export interface Located<T> {
  value: T;
  pos: Position;
}

export interface Graph {
  /** Path of the definition as the user named it. */
  file: string;
  metadata: GraphMetadata;
  apiVersion: Located<string> | undefined;
  runtimeVersion: Located<string> | undefined;
  features: ModuleFeature[];
  operations: Operation[];
  connections: Connection[];
  moduleConfigurations: ModuleConfiguration[];
  schemas: SchemaDefinition[];
  placeholders: Placeholder[];
}

/** Outgoing and incoming connections per operation name, in file order. */
export interface Adjacency {
  outgoing: Map<string, Connection[]>;
  incoming: Map<string, Connection[]>;
}

export function adjacency(graph: Graph): Adjacency {
  const outgoing = new Map<string, Connection[]>();
  const incoming = new Map<string, Connection[]>();
  for (const connection of graph.connections) {
    push(outgoing, connection.from.name, connection);
    push(incoming, connection.to.name, connection);
  }
  return { outgoing, incoming };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/**
 * What an operation is, for tables, metrics and drawings: its `operationType`, or for a pipeline's native nodes
 * `destination` and the built-in's name (`window`, `throttle`, …).
 */
export function operationKind(op: Operation): string {
  if (op.native?.kind === 'destination') return 'destination';
  if (op.native?.kind === 'builtin') return op.native.transform;
  return op.type ?? 'unknown';
}
