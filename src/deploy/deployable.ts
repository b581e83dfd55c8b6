/**
 * What the deployment targets send, whichever plan it came from: a graph bound to an environment (a pipeline of
 * one node) or an environment's pipeline. The targets (targets/arm.ts, targets/kubernetes.ts) know only this, so
 * `aio deploy graph` and `aio promote` deploy both the same way. Documents render lazily: a Kubernetes
 * environment has no instance for an ARM template.
 */
import type { Environment, Project } from '../project/model.js';
import type { DeploymentPlan } from './plan.js';
import type { PipelinePlan } from './pipeline-plan.js';
import { AIO_API_VERSION, armResourceIds, DATAFLOW_GRAPH_TYPE, renderArmTemplate, type ArmTemplate } from './render/arm.js';
import { renderKubernetesObjects, type KubernetesObject } from './render/kubernetes.js';
import { renderPipelineArm, renderPipelineKubernetesObjects } from './render/pipeline-documents.js';

export interface Deployable {
  project: Project;
  environment: Environment;
  /** The DataflowGraph's name. */
  graphName: string;
  /** Microsoft.IoTOperations API version the ARM template writes, and reads back with. */
  armApiVersion: string;
  /** The ARM template and the ids of its resources, RegistryEndpoints first and the DataflowGraph last. */
  arm(): { template: ArmTemplate; resourceIds: string[] };
  /** The custom resources, RegistryEndpoints first (the graph refers to them). */
  kubernetes(): KubernetesObject[];
}

export function graphDeployable(plan: DeploymentPlan): Deployable {
  return {
    project: plan.project,
    environment: plan.environment,
    graphName: plan.graphName,
    armApiVersion: AIO_API_VERSION,
    arm: () => {
      const ids = armResourceIds(plan);
      return { template: renderArmTemplate(plan), resourceIds: [ids.registryEndpoint, ids.dataflowGraph] };
    },
    kubernetes: () => renderKubernetesObjects(plan),
  };
}

export function pipelineDeployable(plan: PipelinePlan): Deployable {
  return {
    project: plan.project,
    environment: plan.environment,
    graphName: plan.graphName,
    armApiVersion: plan.apiVersion,
    arm: () => {
      const base = instanceId(plan.environment);
      return {
        template: renderPipelineArm(plan),
        resourceIds: [
          ...plan.registryEndpoints.map((e) => `${base}/registryEndpoints/${e.name}`),
          `${base}/dataflowProfiles/${plan.profile}/dataflowGraphs/${plan.graphName}`,
        ],
      };
    },
    kubernetes: () => renderPipelineKubernetesObjects(plan),
  };
}

/** The desired DataflowGraph `properties` of an ARM template (the last resource of that type). */
export function armGraphProperties(template: ArmTemplate): Record<string, unknown> | undefined {
  return template.resources.findLast((r) => r['type'] === DATAFLOW_GRAPH_TYPE)?.['properties'] as Record<string, unknown> | undefined;
}

function instanceId(environment: Environment): string {
  const instance = environment.instance!;
  return `/subscriptions/${instance.subscription}/resourceGroups/${instance.resourceGroup}/providers/Microsoft.IoTOperations/instances/${instance.name}`;
}
