import type { Graph } from '../graph/model.js';
import { AioError } from '../errors.js';
import type { Environment, InstanceBinding, Project, ProjectGraph, RegistryAuth } from '../project/model.js';
import { defaultArtifactName } from '../graph/release-graph.js';

/**
 * What a deployment consists of, target-neutral: the graph bound to one environment. Renderers turn it into
 * ARM, Bicep or Kubernetes documents; nothing here talks to a service.
 */
export interface DeploymentPlan {
  environment: Environment;
  graphName: string;
  /** `<name>:<version>` of the graph artifact, relative to the registry endpoint's host. */
  artifact: string;
  registryEndpoint: { name: string; host: string; authentication: RegistryAuth };
  profile: string;
  source: { node: string; endpointRef: string; dataSources: string[] };
  processor: { node: string; configuration: Array<{ key: string; value: string }> };
  destination: { node: string; endpointRef: string; dataDestination: string };
  /** The graph model and the project entry it came from, for the service checks. */
  graph: Graph;
  projectGraph: ProjectGraph;
  project: Project;
}

/** Node names inside the DataflowGraph resource; the graph's own operations live inside the artifact. */
export const NODE_NAMES = { source: 'source', processor: 'processor', destination: 'destination' } as const;

export function planDeployment(project: Project, projectGraph: ProjectGraph, graph: Graph, environment: Environment): DeploymentPlan {
  const registry = environment.registry!;
  return {
    environment,
    graphName: environment.graphName ?? projectGraph.name,
    artifact: projectGraph.artifact ?? defaultArtifactName(graph),
    registryEndpoint: { name: registry.endpoint, host: registry.host, authentication: registry.auth },
    profile: environment.instance?.profile ?? environment.kubernetes?.profile ?? 'default',
    source: { node: NODE_NAMES.source, endpointRef: environment.source.endpoint, dataSources: environment.source.topics },
    processor: { node: NODE_NAMES.processor, configuration: environment.configuration },
    destination: { node: NODE_NAMES.destination, endpointRef: environment.destination.endpoint, dataDestination: environment.destination.topic },
    graph,
    projectGraph,
    project,
  };
}

/** The AIO instance ARM, Bicep and provisioning need; an environment without one gets an error naming `purpose`. */
export function requireInstance(plan: DeploymentPlan, purpose: string): InstanceBinding {
  if (plan.environment.instance !== undefined) return plan.environment.instance;
  throw new AioError('AIO_RENDER_NEEDS_INSTANCE', `environment ${plan.environment.name} has no instance:, which ${purpose} needs`, {
    hint: 'add instance: { subscription, resourceGroup, name, customLocation } to it',
    location: { file: plan.project.file, ...plan.environment.pos },
  });
}

/** The `properties` of a DataflowGraph (the `spec` on Kubernetes, less `profileRef`), as the spec gives them. */
export function dataflowGraphProperties(plan: DeploymentPlan): Record<string, unknown> {
  return {
    mode: 'Enabled',
    requestDiskPersistence: 'Disabled',
    nodes: [
      { nodeType: 'Source', name: plan.source.node, sourceSettings: { endpointRef: plan.source.endpointRef, dataSources: plan.source.dataSources } },
      {
        nodeType: 'Graph',
        name: plan.processor.node,
        graphSettings: { registryEndpointRef: plan.registryEndpoint.name, artifact: plan.artifact, configuration: plan.processor.configuration },
      },
      {
        nodeType: 'Destination',
        name: plan.destination.node,
        destinationSettings: { endpointRef: plan.destination.endpointRef, dataDestination: plan.destination.dataDestination },
      },
    ],
    nodeConnections: [
      { from: { name: plan.source.node }, to: { name: plan.processor.node } },
      { from: { name: plan.processor.node }, to: { name: plan.destination.node } },
    ],
  };
}

/** The `properties` of a RegistryEndpoint, with the settings block its authentication method requires. */
export function registryEndpointProperties(plan: Pick<DeploymentPlan, 'registryEndpoint'>): Record<string, unknown> {
  const auth = plan.registryEndpoint.authentication;
  const authentication =
    auth.method === 'SystemAssignedManagedIdentity'
      ? { method: auth.method, systemAssignedManagedIdentitySettings: auth.audience === undefined ? {} : { audience: auth.audience } }
      : auth.method === 'UserAssignedManagedIdentity'
        ? {
            method: auth.method,
            userAssignedManagedIdentitySettings: {
              clientId: auth.clientId,
              tenantId: auth.tenantId,
              ...(auth.scope === undefined ? {} : { scope: auth.scope }),
            },
          }
        : auth.method === 'ArtifactPullSecret'
          ? { method: auth.method, artifactPullSecretSettings: { secretRef: auth.secretRef } }
          : { method: 'Anonymous', anonymousSettings: {} };
  return { host: plan.registryEndpoint.host, authentication };
}
