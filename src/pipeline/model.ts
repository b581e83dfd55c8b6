import type { Position } from '../diagnostics.js';

/**
 * The one model of a DataflowGraph manifest (spec builtin-transforms.md §1): the chain of Source, Graph and
 * Destination nodes a cluster runs. Built once by parse-manifest.ts from any of its envelopes; the rules, the
 * drawing and the run read only this. Plain data throughout (no functions, no class instances): a run plan built
 * from it crosses to a worker thread. Every element keeps where it was written.
 */

/** How the file wraps the DataflowGraph body (§1.1). */
export type ManifestEnvelope =
  /** `apiVersion: connectivity.iotoperations.azure.com/v1`, `kind: DataflowGraph` (by hand or `kubectl get -o yaml`). */
  | 'kubernetes'
  /** An ARM template whose `resources[]` holds a `Microsoft.IoTOperations/.../dataflowGraphs` resource. */
  | 'arm-template'
  /** One ARM resource `{type, apiVersion?, name, properties}`. */
  | 'arm-resource'
  /** The bare `properties` body, as `az iot ops dataflowgraph apply` reads it. */
  | 'properties';

export const ARM_GRAPH_TYPE = 'Microsoft.IoTOperations/instances/dataflowProfiles/dataflowGraphs';

/** A value with where it was written. */
export interface Located<T> {
  value: T;
  pos: Position;
}

export interface Manifest {
  file: string;
  envelope: ManifestEnvelope;
  /** `metadata.name` or the ARM resource `name` (the last `/` segment of a nested name); undefined for a bare body. */
  name: Located<string> | undefined;
  /** The ARM resource's `apiVersion` (the Kubernetes CRD is not versioned per API date: undefined there). */
  apiVersion: Located<string> | undefined;
  /** `spec.profileRef` (Kubernetes) or `properties.profileRef` (Bicep samples write it; ARM has no such property). */
  profileRef: Located<string> | undefined;
  mode: Located<string> | undefined;
  requestDiskPersistence: Located<string> | undefined;
  /** Where the body (`spec` / `properties` / the whole bare document) starts. */
  pos: Position;
  nodes: PipelineNode[];
  connections: PipelineConnection[];
  /** 2026-11-01-preview; `pos` is where the `fileStores` key is written, for the API-version rule. */
  fileStores: { entries: FileStore[]; pos: Position } | undefined;
}

export const NODE_TYPES = ['Source', 'Graph', 'Destination'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

interface NodeBase {
  name: string;
  /** Where the node's mapping starts. */
  pos: Position;
  namePos: Position;
  /** Index in `nodes`, for messages that match the cluster's (`nodes[2]`). */
  index: number;
}

export interface SourceNode extends NodeBase {
  nodeType: 'Source';
  endpointRef: Located<string> | undefined;
  /** MQTT topic filters (`+`, `#`, `$share/<group>/…`) or Kafka topics. */
  dataSources: Array<Located<string>>;
  assetRef: Located<string> | undefined;
}

export interface GraphNode extends NodeBase {
  nodeType: 'Graph';
  registryEndpointRef: Located<string> | undefined;
  /** `<name>:<version>` relative to the registry, e.g. `azureiotoperations/graph-dataflow-map:1.0.0`. */
  artifact: Located<string> | undefined;
  configuration: ConfigurationValue[];
}

export interface DestinationNode extends NodeBase {
  nodeType: 'Destination';
  endpointRef: Located<string> | undefined;
  /** A static topic, or one templated with `${outputTopic}` / `${outputTopic.N}`. */
  dataDestination: Located<string> | undefined;
  /** 2025-10-01+; undefined when the key is absent. `pos` is the key's, for the API-version rule. */
  headers: { actions: HeaderActionEntry[]; pos: Position } | undefined;
  /** Present in 2025-07-01-preview and again from 2026-10-01; accepted and ignored locally. */
  outputSchemaSettings: { serializationFormat: string | undefined; schemaRef: Located<string> | undefined; pos: Position } | undefined;
}

export type PipelineNode = SourceNode | GraphNode | DestinationNode;

/**
 * One `{key, value}` of `graphSettings.configuration`. `valueRuns` maps a 0-based character offset inside the
 * unquoted `value` to where that character is written in the file, through a block scalar's indentation, a
 * quoted scalar's escapes or a JSON string's `\"`: see value-position.ts. Runs rather than a function so the
 * model stays plain data.
 */
export interface ConfigurationValue {
  key: string;
  keyPos: Position;
  value: string;
  valuePos: Position;
  valueRuns: ValueRun[];
}

/**
 * Characters `start..` of a value are written from `line:column` onward, one column each, until the next run.
 * A run breaks wherever the file's text and the value part ways: a line break, an escape, a block indent.
 */
export type ValueRun = [start: number, line: number, column: number];

export interface HeaderActionEntry {
  /** `AddIfNotPresent`, `AddOrReplace` or `Remove` (an open string in the TypeSpec: others are reported). */
  actionType: Located<string> | undefined;
  key: Located<string> | undefined;
  value: Located<string> | undefined;
  pos: Position;
}

export interface PipelineConnection {
  /** Index in `nodeConnections`. */
  index: number;
  pos: Position;
  from: {
    /** The node part of `from.name`: everything before the first `.` (node names hold no dots). */
    node: string;
    /** The output port after the first dot: `output.true` for a branch, a sink name for a WASM graph. */
    port: string | undefined;
    pos: Position;
    schema: ConnectionSchema | undefined;
  };
  to: { name: string; pos: Position };
}

export interface ConnectionSchema {
  serializationFormat: Located<string> | undefined;
  schemaRef: Located<string> | undefined;
  pos: Position;
}

export interface FileStore {
  id: Located<string> | undefined;
  persistentVolumeClaimRef: Located<string> | undefined;
  subPath: Located<string> | undefined;
  readOnly: boolean | undefined;
  pos: Position;
}

/** The nodes by name (the first of duplicates wins; the rules report the rest). */
export function nodesByName(manifest: Manifest): Map<string, PipelineNode> {
  const byName = new Map<string, PipelineNode>();
  for (const node of manifest.nodes) if (!byName.has(node.name)) byName.set(node.name, node);
  return byName;
}
