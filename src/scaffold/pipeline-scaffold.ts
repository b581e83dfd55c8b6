/**
 * `aio init --template pipeline`: the workspace's graph as one node of a DataflowGraph pipeline between built-in
 * transforms (a filter before it, a map after it that routes by topic), an aio.yaml whose `local` environment
 * emulates it and whose `prod` environment deploys it, and a cases file that passes on the template's operator.
 */
import type { OperatorKind } from '../workspace/operator-manifest.js';
import { KIND_TEMPLATES, SAMPLE_MESSAGE } from './operator-kinds.js';

export const PIPELINE_FILE = 'pipeline.dataflowgraph.yaml';

export function pipelineManifest(name: string, operator: string): string {
  return `# A DataflowGraph: built-in transforms around this workspace's graph (graph.dataflow.yaml, artifact ${name}-graph).
#   sensors (MQTT sensors/#) → plausible (built-in filter: drops readings above 1000)
#   → ${operator} (the workspace's graph) → route (built-in map: topic processed/<source topic>) → processed
# \`aio emulate --env local\` runs it here, \`aio test\` checks it, \`aio render --env prod\` deploys it.
apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata:
  name: ${name}-pipeline
spec:
  profileRef: default
  nodes:
    - nodeType: Source
      name: sensors
      sourceSettings:
        endpointRef: default
        dataSources: ["sensors/#"]
    - nodeType: Graph
      name: plausible
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-filter:1.0.0
        configuration:
          - key: rules
            value: |
              { "filter": [ { "inputs": ["value"], "expression": "$1 > 1000", "description": "implausible reading" } ] }
    - nodeType: Graph
      name: ${operator}
      graphSettings:
        registryEndpointRef: default
        artifact: ${name}-graph:1.0.0
    - nodeType: Graph
      name: route
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-map:1.0.0
        configuration:
          - key: rules
            value: |
              { "map": [
                  { "inputs": ["*"], "output": "*", "description": "keep every field" },
                  { "inputs": ["$metadata.topic"], "output": "$metadata.topic", "expression": "\\"processed/\\" + $1", "description": "route by source topic" }
              ] }
    - nodeType: Destination
      name: processed
      destinationSettings:
        endpointRef: default
        dataDestination: \${outputTopic}
        headers:
          - { actionType: AddIfNotPresent, key: pipeline, value: ${name} }
  nodeConnections:
    - { from: { name: sensors }, to: { name: plausible } }
    - { from: { name: plausible }, to: { name: ${operator} } }
    - { from: { name: ${operator} }, to: { name: route } }
    - { from: { name: route }, to: { name: processed } }
`;
}

export function pipelineProjectFile(name: string, graphFile: string): string {
  return `# The pipeline (${PIPELINE_FILE}) and its graph, bound per environment: \`aio emulate --env local\` runs it on
# this machine, \`aio render --env prod\` writes what Azure deploys. \`aio env schema\` lists every setting.
graphs:
  ${name}:
    file: ${graphFile}
    artifact: ${name}-graph:1.0.0

pipelines:
  ${name}:
    file: ${PIPELINE_FILE}

environments:
  local:
    target: emulator
    pipeline: ${name}

  prod:
    target: arm
    pipeline: ${name}
    instance:
      subscription: "\${AZURE_SUBSCRIPTION_ID:-00000000-0000-0000-0000-000000000000}"
      resourceGroup: "\${AIO_RESOURCE_GROUP:-rg-aio}"
      name: "\${AIO_INSTANCE:-aio-instance}"
      customLocation: "\${AIO_CUSTOM_LOCATION:-aio-location}"
    registry:
      host: "\${AIO_REGISTRY:-myregistry.azurecr.io}"
      endpoint: aio-registry
    nodes:
      sensors: { topics: ["factory/+/telemetry"] }
`;
}

export function pipelineCases(operator: string, kind: OperatorKind): string {
  return `# The pipeline end to end on the virtual clock: \`aio test\` (after \`aio build\`). \`aio record\` adds recorded
# traffic as more cases; \`aio test --update\` rewrites expectations from the actual output.
graph: ../${PIPELINE_FILE}
cases:
  - name: a plausible reading goes through ${operator} and is routed by its topic
    input:
      - topic: sensors/line-1
        payload: ${JSON.stringify(SAMPLE_MESSAGE)}
    expect:
      sink:
        - topic: processed/sensors/line-1
          payload: ${JSON.stringify(KIND_TEMPLATES[kind].expected)}
  - name: an implausible reading is dropped by the built-in filter
    input:
      - topic: sensors/line-1
        payload: { "value": 5000, "unit": "C" }
    expect:
      sink: []
`;
}
