import type { DeploymentPlan } from '../plan.js';
import { dataflowGraphProperties, registryEndpointProperties } from '../plan.js';

export const AIO_API_VERSION = '2026-07-01';
export const DATAFLOW_GRAPH_TYPE = 'Microsoft.IoTOperations/instances/dataflowProfiles/dataflowGraphs';
export const REGISTRY_ENDPOINT_TYPE = 'Microsoft.IoTOperations/instances/registryEndpoints';

export interface ArmTemplate {
  $schema: string;
  contentVersion: string;
  resources: Array<Record<string, unknown>>;
  outputs: Record<string, { type: string; value: string }>;
}

/** Resource ids of what a plan deploys, for status reads after the deployment. */
export function armResourceIds(plan: DeploymentPlan): { registryEndpoint: string; dataflowGraph: string } {
  const instance = plan.environment.instance!;
  const base = `/subscriptions/${instance.subscription}/resourceGroups/${instance.resourceGroup}/providers/Microsoft.IoTOperations/instances/${instance.name}`;
  return {
    registryEndpoint: `${base}/registryEndpoints/${plan.registryEndpoint.name}`,
    dataflowGraph: `${base}/dataflowProfiles/${plan.profile}/dataflowGraphs/${plan.graphName}`,
  };
}

/**
 * An ARM deployment template (resource-group scope) holding the RegistryEndpoint and the DataflowGraph, children
 * of the AIO instance, each with the custom location as extendedLocation. Pure: same plan, same bytes.
 */
export function renderArmTemplate(plan: DeploymentPlan): ArmTemplate {
  const instance = plan.environment.instance!;
  const extendedLocation = { name: instance.customLocationId, type: 'CustomLocation' };
  const endpointId = `[resourceId('${REGISTRY_ENDPOINT_TYPE}', '${instance.name}', '${plan.registryEndpoint.name}')]`;
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    resources: [
      {
        type: REGISTRY_ENDPOINT_TYPE,
        apiVersion: AIO_API_VERSION,
        name: `${instance.name}/${plan.registryEndpoint.name}`,
        extendedLocation,
        properties: registryEndpointProperties(plan),
      },
      {
        type: DATAFLOW_GRAPH_TYPE,
        apiVersion: AIO_API_VERSION,
        name: `${instance.name}/${plan.profile}/${plan.graphName}`,
        extendedLocation,
        dependsOn: [endpointId],
        properties: dataflowGraphProperties(plan),
      },
    ],
    outputs: {
      dataflowGraphId: { type: 'string', value: `[resourceId('${DATAFLOW_GRAPH_TYPE}', '${instance.name}', '${plan.profile}', '${plan.graphName}')]` },
      registryEndpointId: { type: 'string', value: endpointId },
    },
  };
}
