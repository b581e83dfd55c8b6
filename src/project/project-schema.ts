/**
 * JSON Schema (draft-07) of `aio.yaml`, the project file: graphs, where modules come from, and environments that
 * bind the environment-agnostic graph to a target. `aio env schema` prints it for editors.
 */
const name = { type: 'string', minLength: 1 };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

const registry = {
  type: 'object',
  additionalProperties: false,
  required: ['host'],
  properties: {
    host: {
      type: 'string',
      minLength: 1,
      description: 'registry host, e.g. myacr.azurecr.io; http://host:port for a local registry without TLS (emulator only)',
    },
    endpoint: { ...name, description: 'RegistryEndpoint resource name the cluster pulls through (default: aio-registry)' },
    auth: {
      type: 'object',
      additionalProperties: false,
      required: ['method'],
      properties: {
        method: { enum: ['SystemAssignedManagedIdentity', 'UserAssignedManagedIdentity', 'Anonymous', 'ArtifactPullSecret'] },
        audience: { type: 'string' },
        clientId: { type: 'string' },
        tenantId: { type: 'string' },
        scope: { type: 'string' },
        secretRef: { type: 'string' },
      },
    },
    acr: {
      type: 'object',
      additionalProperties: false,
      description: 'for aio provision: the Azure Container Registry to create or verify, in the instance’s resource group',
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-zA-Z0-9]{5,50}$' },
        location: name,
        sku: { enum: ['Basic', 'Standard', 'Premium'] },
        pullPrincipalId: { type: 'string', description: 'object id of the AIO extension identity that gets AcrPull' },
      },
    },
  },
};

const duration = { type: ['string', 'number'], pattern: '^\\d+(\\.\\d+)?\\s*(ms|s|m)?$' };

const instance = {
  type: 'object',
  additionalProperties: false,
  required: ['subscription', 'resourceGroup', 'name', 'customLocation'],
  properties: {
    subscription: name,
    resourceGroup: name,
    name: { ...name, description: 'the AIO instance' },
    customLocation: { ...name, description: 'custom location name (in the resource group) or full resource id' },
    profile: { ...name, description: 'dataflow profile (default: default)' },
    location: name,
  },
};

const kubernetes = {
  type: 'object',
  additionalProperties: false,
  properties: {
    context: name,
    namespace: name,
    profile: name,
    kubeconfig: name,
  },
};

const environment = {
  type: 'object',
  additionalProperties: false,
  required: ['target'],
  properties: {
    target: { enum: ['emulator', 'arm', 'kubernetes'] },
    graphName: { type: 'string', description: 'DataflowGraph resource name (default: the graph key)' },
    registry,
    instance,
    kubernetes,
    source: {
      type: 'object',
      additionalProperties: false,
      properties: { endpoint: name, topics: { type: 'array', minItems: 1, items: name } },
    },
    destination: {
      type: 'object',
      additionalProperties: false,
      properties: { endpoint: name, topic: name },
    },
    configuration: { ...stringMap, description: 'graph parameters: key → value (strings)' },
    pipeline: { ...name, description: 'the pipeline (key under pipelines:) this environment runs and deploys (default: the only one)' },
    variables: { ...stringMap, description: "values of the pipeline manifest's ${VAR} placeholders (then the process environment and .env)" },
    nodes: {
      type: 'object',
      description: "per pipeline node (by name), what differs in this environment; unset fields keep the manifest's value",
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          endpoint: { ...name, description: 'Source or Destination: the DataflowEndpoint' },
          topics: { type: 'array', minItems: 1, items: name, description: 'Source: MQTT topic filters (dataSources)' },
          topic: { ...name, description: 'Destination: the topic (dataDestination; ${outputTopic} allowed)' },
          registryEndpoint: { ...name, description: 'custom Graph node: the RegistryEndpoint its artifact is pulled through' },
          configuration: { ...stringMap, description: 'Graph node: configuration keys set or replaced' },
        },
      },
    },
  },
};

export const projectSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://aio.dev/schemas/aio-project.json',
  title: 'aio project (aio.yaml)',
  type: 'object',
  additionalProperties: false,
  required: ['environments'],
  properties: {
    graphs: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['file'],
        properties: {
          file: { ...name, description: 'graph definition, relative to aio.yaml' },
          artifact: { type: 'string', pattern: '^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9_][A-Za-z0-9._-]*$', description: '<name>:<version> of the graph artifact' },
        },
      },
    },
    pipelines: {
      type: 'object',
      minProperties: 1,
      description: 'DataflowGraph manifests of the workspace (Kubernetes or ARM shape; ${VAR} placeholders bound per environment)',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['file'],
        properties: { file: { ...name, description: 'the manifest, relative to aio.yaml' } },
      },
    },
    modules: {
      type: 'object',
      additionalProperties: false,
      properties: { dirs: { type: 'array', items: name, description: 'folders of built .wasm modules, relative to aio.yaml' } },
    },
    emulator: {
      type: 'object',
      additionalProperties: false,
      description: 'what each module instance, and each client of the embedded broker, may take in aio emulate and aio test (flags win)',
      properties: {
        callDeadline: { ...duration, description: 'longest one module call may take (default 5s; 0: none)' },
        initDeadline: { ...duration, description: 'longest an instance may take to start and run init (default 30s)' },
        memoryLimit: {
          type: ['string', 'number'],
          pattern: '^\\d+(\\.\\d+)?\\s*(KiB|MiB|GiB)?$',
          description: 'linear memory cap of each instance, e.g. 256MiB (a number is MiB)',
        },
        maxPacketSize: {
          type: ['string', 'number'],
          pattern: '^\\d+(\\.\\d+)?\\s*(B|KiB|MiB|GiB)?$',
          description: 'embedded broker: largest packet a client may send, e.g. 1MiB (a number is bytes; default 1MiB)',
        },
        maxInflight: { type: 'integer', minimum: 1, description: 'embedded broker: QoS 1 deliveries a subscriber may leave unacknowledged (default 1000)' },
        maxQueued: {
          type: 'integer',
          minimum: 1,
          description:
            "embedded broker: messages queued for a client that stopped reading, or for a persistent session's client while it is away (default 1000)",
        },
        clientConnectTimeout: { ...duration, description: 'embedded broker: longest a client may take to send a complete CONNECT (default 10s)' },
      },
    },
    remote: {
      type: 'object',
      additionalProperties: false,
      description: 'bounds on every remote call: registries, token services, Azure Resource Manager, Kubernetes (flags win)',
      properties: {
        connectTimeout: { ...duration, description: 'longest a connection may take to open (default 10s; 0: none)' },
        idleTimeout: { ...duration, description: 'longest a server may stay silent, before answering and between bytes (default 30s)' },
        requestTimeout: { ...duration, description: 'longest a manifest, token or API call may take as a whole (default 60s)' },
        maxBlobSize: {
          type: ['string', 'number'],
          pattern: '^\\d+(\\.\\d+)?\\s*(KiB|MiB|GiB)?$',
          description: 'largest layer a pull accepts, e.g. 8GiB (a number is MiB; default 4GiB)',
        },
        retries: { type: 'integer', minimum: 0, maximum: 20, description: 'retries of a request that failed on the wire or with 429/5xx (default 3)' },
      },
    },
    environments: { type: 'object', minProperties: 1, additionalProperties: environment },
  },
} as const;
