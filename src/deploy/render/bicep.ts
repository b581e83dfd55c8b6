import type { DeploymentPlan } from '../plan.js';
import { dataflowGraphProperties, registryEndpointProperties } from '../plan.js';
import { AIO_API_VERSION } from './arm.js';

/**
 * The same resources as the ARM template, as a Bicep file a platform team can keep in its own repository: the
 * instance and profile are `existing` resources, the endpoint and graph their children.
 */
export function renderBicep(plan: DeploymentPlan): string {
  const instance = plan.environment.instance!;
  return `// Rendered by aio render --env ${plan.environment.name} --format bicep. Deploy with:
//   az deployment group create -g ${instance.resourceGroup} --template-file <this file>
param customLocationId string = '${escape(instance.customLocationId)}'

resource instance 'Microsoft.IoTOperations/instances@${AIO_API_VERSION}' existing = {
  name: '${escape(instance.name)}'
}

resource profile 'Microsoft.IoTOperations/instances/dataflowProfiles@${AIO_API_VERSION}' existing = {
  parent: instance
  name: '${escape(plan.profile)}'
}

resource registryEndpoint 'Microsoft.IoTOperations/instances/registryEndpoints@${AIO_API_VERSION}' = {
  parent: instance
  name: '${escape(plan.registryEndpoint.name)}'
  extendedLocation: {
    name: customLocationId
    type: 'CustomLocation'
  }
  properties: ${bicepValue(registryEndpointProperties(plan), 1)}
}

resource dataflowGraph 'Microsoft.IoTOperations/instances/dataflowProfiles/dataflowGraphs@${AIO_API_VERSION}' = {
  parent: profile
  name: '${escape(plan.graphName)}'
  extendedLocation: {
    name: customLocationId
    type: 'CustomLocation'
  }
  dependsOn: [
    registryEndpoint
  ]
  properties: ${bicepValue(dataflowGraphProperties(plan), 1)}
}

output dataflowGraphId string = dataflowGraph.id
`;
}

/** Bicep literals: objects and arrays one entry per line, strings single-quoted (also for pipelines: pipeline-bicep.ts). */
export function bicepValue(value: unknown, depth: number): string {
  const indent = '  '.repeat(depth + 1);
  const close = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${indent}${bicepValue(v, depth + 1)}`).join('\n')}\n${close}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${indent}${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `'${escape(k)}'`}: ${bicepValue(v, depth + 1)}`).join('\n')}\n${close}}`;
  }
  if (typeof value === 'string') return `'${escape(value)}'`;
  return String(value);
}

export function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${');
}
