import type { Position } from '../diagnostics.js';
import type { RemoteSettings } from '../util/remote-limits.js';

/** The project file's model: built once by load-project.ts, consumed by emulate, render, deploy, provision, promote. */

export type Target = 'emulator' | 'arm' | 'kubernetes';

export interface ProjectGraph {
  /** The key under `graphs:`; also the default DataflowGraph name. */
  name: string;
  /** Absolute path of the graph definition. */
  file: string;
  /** `<name>:<version>` of the graph artifact, when set (else taken from the graph's metadata). */
  artifact: string | undefined;
  pos: Position;
}

/** A DataflowGraph manifest of the workspace (`pipelines:`): Kubernetes or ARM shape, `${VAR}` allowed. */
export interface ProjectPipeline {
  /** The key under `pipelines:`. */
  name: string;
  /** Absolute path of the manifest. */
  file: string;
  pos: Position;
}

/** What one environment changes in one node of its pipeline; undefined fields keep the manifest's value. */
export interface NodeBinding {
  node: string;
  /** Where the node's key is written in aio.yaml. */
  pos: Position;
  /** Source or Destination: the DataflowEndpoint. */
  endpoint: string | undefined;
  /** Source: the topic filters (`dataSources`). */
  topics: string[] | undefined;
  /** Destination: `dataDestination`. */
  topic: string | undefined;
  /** Custom Graph node: the RegistryEndpoint the cluster pulls its artifact through. */
  registryEndpoint: string | undefined;
  /** Graph node: configuration keys set or replaced (the manifest's other keys stay). */
  configuration: Array<{ key: string; value: string }>;
}

/** An environment's pipeline and what it binds: `${VAR}` values of the manifest, and node by node. */
export interface PipelineBinding {
  /** The key under `pipelines:`; undefined: the project's only pipeline. */
  pipeline: string | undefined;
  variables: Map<string, string>;
  nodes: NodeBinding[];
}

export type RegistryAuth =
  | { method: 'SystemAssignedManagedIdentity'; audience?: string }
  | { method: 'UserAssignedManagedIdentity'; clientId: string; tenantId: string; scope?: string }
  | { method: 'Anonymous' }
  | { method: 'ArtifactPullSecret'; secretRef: string };

export interface RegistryBinding {
  /** Host without scheme. */
  host: string;
  /** `http://` was written: a local registry without TLS (emulator only). */
  plainHttp: boolean;
  /** RegistryEndpoint resource name. */
  endpoint: string;
  auth: RegistryAuth;
  acr: { name: string; location: string | undefined; sku: 'Basic' | 'Standard' | 'Premium'; pullPrincipalId: string | undefined } | undefined;
}

export interface InstanceBinding {
  subscription: string;
  resourceGroup: string;
  name: string;
  /** Full resource id of the custom location. */
  customLocationId: string;
  profile: string;
  location: string | undefined;
}

export interface KubernetesBinding {
  context: string | undefined;
  namespace: string;
  profile: string;
  kubeconfig: string | undefined;
}

export interface Environment {
  name: string;
  target: Target;
  /** DataflowGraph resource name override. */
  graphName: string | undefined;
  registry: RegistryBinding | undefined;
  instance: InstanceBinding | undefined;
  kubernetes: KubernetesBinding | undefined;
  source: { endpoint: string; topics: string[] };
  destination: { endpoint: string; topic: string };
  configuration: Array<{ key: string; value: string }>;
  /** The pipeline this environment runs and deploys, when it binds one (`pipeline:`, `variables:`, `nodes:`). */
  pipeline: PipelineBinding | undefined;
  pos: Position;
  /** Where a value of this environment is written (`['registry', 'host']`), for diagnostics. */
  positionOf(path: ReadonlyArray<string | number>): Position;
}

/** aio.yaml's `emulator:` section, as written: durations like `5s`, sizes like `256MiB`. */
export interface EmulatorSettings {
  callDeadline?: string | number;
  initDeadline?: string | number;
  memoryLimit?: string | number;
  /** The embedded broker's limits per client (broker-limits.ts). */
  maxPacketSize?: string | number;
  maxInflight?: number;
  maxQueued?: number;
  clientConnectTimeout?: string | number;
}

export interface Project {
  /** Path of aio.yaml as found. */
  file: string;
  dir: string;
  graphs: ProjectGraph[];
  /** DataflowGraph manifests of the workspace; a graph alone is still a pipeline of one node (source → graph → destination). */
  pipelines: ProjectPipeline[];
  /** Absolute module folders searched before each graph's workspace. */
  moduleDirs: string[];
  /** How much each module instance may take in `aio emulate` and `aio test` (flags win). */
  emulator: EmulatorSettings;
  /** aio.yaml's `remote:` bounds on registry, ARM and Kubernetes calls, as written (flags win). */
  remote: RemoteSettings;
  environments: Map<string, Environment>;
  /** Values that came from variables whose names say they are secret; masked wherever a view is printed. */
  secrets: Set<string>;
}

export const DEFAULT_NAMESPACE = 'azure-iot-operations';
export const DEFAULT_PROFILE = 'default';
export const DEFAULT_ENDPOINT = 'default';
export const DEFAULT_REGISTRY_ENDPOINT = 'aio-registry';
/** The emulator's topics when neither an environment nor a flag names any. */
export const DEFAULT_SOURCE_TOPICS: readonly string[] = ['sensors/#'];
export const DEFAULT_SINK_TOPIC = 'processed';
