/**
 * An environment's pipeline as ARM, Bicep and Kubernetes documents: the DataflowGraph with the manifest's nodes
 * and connections as bound, and the RegistryEndpoints its custom graph nodes pull through, endpoints first (the
 * graph refers to them). Pure: same plan, same bytes; snapshot-tested.
 */
import { stringify } from 'yaml';
import { registryEndpointProperties } from '../plan.js';
import { pipelineProperties, type PipelinePlan } from '../pipeline-plan.js';
import { DATAFLOW_GRAPH_TYPE, REGISTRY_ENDPOINT_TYPE, type ArmTemplate } from './arm.js';
import { bicepValue, escape } from './bicep.js';
import { AIO_K8S_API_VERSION, type KubernetesObject } from './kubernetes.js';

export function renderPipelineArm(plan: PipelinePlan): ArmTemplate {
  const instance = plan.environment.instance!;
  const extendedLocation = { name: instance.customLocationId, type: 'CustomLocation' };
  const endpointIds = plan.registryEndpoints.map((e) => `[resourceId('${REGISTRY_ENDPOINT_TYPE}', '${instance.name}', '${e.name}')]`);
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    resources: [
      ...plan.registryEndpoints.map((endpoint) => ({
        type: REGISTRY_ENDPOINT_TYPE,
        apiVersion: plan.apiVersion,
        name: `${instance.name}/${endpoint.name}`,
        extendedLocation,
        properties: registryEndpointProperties({ registryEndpoint: endpoint }),
      })),
      {
        type: DATAFLOW_GRAPH_TYPE,
        apiVersion: plan.apiVersion,
        name: `${instance.name}/${plan.profile}/${plan.graphName}`,
        extendedLocation,
        ...(endpointIds.length === 0 ? {} : { dependsOn: endpointIds }),
        properties: pipelineProperties(plan),
      },
    ],
    outputs: {
      dataflowGraphId: { type: 'string', value: `[resourceId('${DATAFLOW_GRAPH_TYPE}', '${instance.name}', '${plan.profile}', '${plan.graphName}')]` },
    },
  };
}

export function renderPipelineBicep(plan: PipelinePlan): string {
  const instance = plan.environment.instance!;
  const v = plan.apiVersion;
  const location = `  extendedLocation: {\n    name: customLocationId\n    type: 'CustomLocation'\n  }`;
  const endpoints = plan.registryEndpoints.map(
    (endpoint, i) => `resource registryEndpoint${i + 1} 'Microsoft.IoTOperations/instances/registryEndpoints@${v}' = {
  parent: instance
  name: '${escape(endpoint.name)}'
${location}
  properties: ${bicepValue(registryEndpointProperties({ registryEndpoint: endpoint }), 1)}
}
`,
  );
  const dependsOn =
    plan.registryEndpoints.length === 0 ? '' : `  dependsOn: [\n${plan.registryEndpoints.map((_, i) => `    registryEndpoint${i + 1}`).join('\n')}\n  ]\n`;
  return `// Rendered by aio render --env ${plan.environment.name} --format bicep (pipeline ${plan.pipeline.name}). Deploy with:
//   az deployment group create -g ${instance.resourceGroup} --template-file <this file>
param customLocationId string = '${escape(instance.customLocationId)}'

resource instance 'Microsoft.IoTOperations/instances@${v}' existing = {
  name: '${escape(instance.name)}'
}

resource profile 'Microsoft.IoTOperations/instances/dataflowProfiles@${v}' existing = {
  parent: instance
  name: '${escape(plan.profile)}'
}

${endpoints.join('\n')}${endpoints.length === 0 ? '' : '\n'}resource dataflowGraph 'Microsoft.IoTOperations/instances/dataflowProfiles/dataflowGraphs@${v}' = {
  parent: profile
  name: '${escape(plan.graphName)}'
${location}
${dependsOn}  properties: ${bicepValue(pipelineProperties(plan), 1)}
}

output dataflowGraphId string = dataflowGraph.id
`;
}

export function renderPipelineKubernetesObjects(plan: PipelinePlan): KubernetesObject[] {
  const namespace = plan.environment.kubernetes?.namespace ?? 'azure-iot-operations';
  const labels = { 'app.kubernetes.io/managed-by': 'aio' };
  return [
    ...plan.registryEndpoints.map(
      (endpoint): KubernetesObject => ({
        apiVersion: AIO_K8S_API_VERSION,
        kind: 'RegistryEndpoint',
        metadata: { name: endpoint.name, namespace, labels },
        spec: registryEndpointProperties({ registryEndpoint: endpoint }),
      }),
    ),
    {
      apiVersion: AIO_K8S_API_VERSION,
      kind: 'DataflowGraph',
      metadata: { name: plan.graphName, namespace, labels },
      spec: { profileRef: plan.profile, ...pipelineProperties(plan) },
    },
  ];
}

export function renderPipelineKubernetesYaml(plan: PipelinePlan): string {
  return renderPipelineKubernetesObjects(plan)
    .map((o) => stringify(o, { lineWidth: 0 }))
    .join('---\n');
}
