import { stringify } from 'yaml';
import type { DeploymentPlan } from '../plan.js';
import { dataflowGraphProperties, registryEndpointProperties } from '../plan.js';

export const AIO_K8S_GROUP = 'connectivity.iotoperations.azure.com';
export const AIO_K8S_API_VERSION = `${AIO_K8S_GROUP}/v1`;

export interface KubernetesObject {
  apiVersion: string;
  kind: 'DataflowGraph' | 'RegistryEndpoint';
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

/** The RegistryEndpoint and DataflowGraph custom resources, endpoint first (the graph refers to it). */
export function renderKubernetesObjects(plan: DeploymentPlan): KubernetesObject[] {
  const namespace = plan.environment.kubernetes?.namespace ?? 'azure-iot-operations';
  const labels = { 'app.kubernetes.io/managed-by': 'aio' };
  return [
    {
      apiVersion: AIO_K8S_API_VERSION,
      kind: 'RegistryEndpoint',
      metadata: { name: plan.registryEndpoint.name, namespace, labels },
      spec: registryEndpointProperties(plan),
    },
    {
      apiVersion: AIO_K8S_API_VERSION,
      kind: 'DataflowGraph',
      metadata: { name: plan.graphName, namespace, labels },
      spec: { profileRef: plan.profile, ...dataflowGraphProperties(plan) },
    },
  ];
}

/** Multi-document YAML for `kubectl apply --server-side -f -`. */
export function renderKubernetesYaml(plan: DeploymentPlan): string {
  return renderKubernetesObjects(plan)
    .map((o) => stringify(o, { lineWidth: 0 }))
    .join('---\n');
}
