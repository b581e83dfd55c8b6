import { AioError } from '../../errors.js';
import type { DeploymentPlan } from '../plan.js';
import { registryEndpointProperties } from '../plan.js';
import { AIO_API_VERSION, REGISTRY_ENDPOINT_TYPE } from './arm.js';

/** Built-in AcrPull role (spec: artifacts-and-deploy.md). */
export const ACR_PULL_ROLE = '7f951dda-4ed3-4680-a7ca-43fe172d538d';
const ACR_API_VERSION = '2023-07-01';

/**
 * One ARM template that creates (or, deployed again, leaves as is) the Azure Container Registry, gives the AIO
 * extension's identity AcrPull on it, and creates the RegistryEndpoint that pulls from it with that identity.
 * The role assignment's name is a deterministic guid, so redeploying never duplicates it.
 */
export function renderProvisionTemplate(plan: DeploymentPlan): Record<string, unknown> {
  const registry = plan.environment.registry!;
  const instance = plan.environment.instance!;
  const acr = registry.acr;
  if (acr === undefined) {
    throw new AioError('AIO_PROVISION_NO_ACR', `environment ${plan.environment.name} has no registry.acr: to provision`, {
      hint: 'add registry.acr: { name, location, pullPrincipalId } (the AIO extension identity’s object id)',
      location: { file: plan.project.file, ...plan.environment.positionOf(['registry']) },
    });
  }
  if (acr.pullPrincipalId === undefined) {
    throw new AioError('AIO_PROVISION_NO_PRINCIPAL', 'registry.acr.pullPrincipalId is not set', {
      hint: 'set it to the principal id of the microsoft.iotoperations extension: az k8s-extension list -c <cluster> -g <rg> -t connectedClusters --query "[?extensionType==\'microsoft.iotoperations\'].identity.principalId" -o tsv',
      location: { file: plan.project.file, ...plan.environment.positionOf(['registry', 'acr']) },
    });
  }
  const registryId = `[resourceId('Microsoft.ContainerRegistry/registries', '${acr.name}')]`;
  const endpointName = `${instance.name}/${registry.endpoint}`;
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    resources: [
      {
        type: 'Microsoft.ContainerRegistry/registries',
        apiVersion: ACR_API_VERSION,
        name: acr.name,
        location: acr.location ?? instance.location ?? '[resourceGroup().location]',
        sku: { name: acr.sku },
        properties: { adminUserEnabled: false, anonymousPullEnabled: false },
      },
      {
        type: 'Microsoft.Authorization/roleAssignments',
        apiVersion: '2022-04-01',
        scope: registryId,
        name: `[guid(${registryId.slice(1, -1)}, '${acr.pullPrincipalId}', '${ACR_PULL_ROLE}')]`,
        dependsOn: [registryId],
        properties: {
          roleDefinitionId: `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${ACR_PULL_ROLE}')]`,
          principalId: acr.pullPrincipalId,
          principalType: 'ServicePrincipal',
        },
      },
      {
        type: REGISTRY_ENDPOINT_TYPE,
        apiVersion: AIO_API_VERSION,
        name: endpointName,
        extendedLocation: { name: instance.customLocationId, type: 'CustomLocation' },
        dependsOn: [registryId],
        properties: registryEndpointProperties({ ...plan, registryEndpoint: { ...plan.registryEndpoint, host: `${acr.name.toLowerCase()}.azurecr.io` } }),
      },
    ],
    outputs: {
      loginServer: { type: 'string', value: `[reference(${registryId.slice(1, -1)}, '${ACR_API_VERSION}').loginServer]` },
      registryEndpointId: { type: 'string', value: `[resourceId('${REGISTRY_ENDPOINT_TYPE}', '${instance.name}', '${registry.endpoint}')]` },
    },
  };
}

/** What a provisioning template creates, as `aio provision` reports it: the types of its resources. */
export function provisionedResources(template: Record<string, unknown>): string[] {
  const resources = (template['resources'] ?? []) as Array<{ type: string }>;
  return resources.map((r) => (r.type === 'Microsoft.Authorization/roleAssignments' ? `${r.type} (AcrPull)` : r.type));
}
