import { finding, type Finding } from '../diagnostics.js';
import type { DeploymentPlan } from './plan.js';

/** Resource names the service accepts (DataflowGraph, RegistryEndpoint): 3–63 characters. */
const RESOURCE_NAME = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;
const CONFIG_KEY = /^[a-zA-Z0-9_-]+$/;
const ARTIFACT = /^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const HOST = /^[A-Za-z0-9.-]+(:\d+)?$/;

/**
 * The checks Azure IoT Operations runs when the resources are applied (spec: "Rules the service enforces"), run
 * before rendering so a pipeline fails at the line of aio.yaml to change, not minutes later in the cluster.
 */
export function checkDeployment(plan: DeploymentPlan): Finding[] {
  const env = plan.environment;
  const out: Finding[] = [];
  const name = (value: string, what: string, path: string[], hint: string) => {
    if (value.length < 3 || value.length > 63 || !RESOURCE_NAME.test(value)) {
      out.push(
        finding(
          'error',
          'AIO_DEPLOY_NAME',
          env.positionOf(path),
          `${what} "${value}" is not a valid resource name: 3–63 lower-case letters, digits and -, starting and ending with a letter or digit`,
          hint,
        ),
      );
    }
  };
  const graphNamePath = env.graphName === undefined ? ['target'] : ['graphName'];
  name(
    plan.graphName,
    'the DataflowGraph name',
    graphNamePath,
    env.graphName === undefined ? `rename the graph key "${plan.projectGraph.name}" or set graphName: in this environment` : 'change graphName:',
  );
  name(plan.registryEndpoint.name, 'the RegistryEndpoint name', ['registry', 'endpoint'], 'change registry.endpoint:');
  const host = plan.registryEndpoint.host;
  if (host.length < 3 || host.length > 63 || !HOST.test(host)) {
    out.push(
      finding(
        'error',
        'AIO_DEPLOY_REGISTRY_HOST',
        env.positionOf(['registry', 'host']),
        `registry host "${host}" must be a host name of 3–63 characters`,
        'write the host only, e.g. myacr.azurecr.io',
      ),
    );
  }
  if (!ARTIFACT.test(plan.artifact)) {
    out.push(
      finding(
        'error',
        'AIO_DEPLOY_ARTIFACT',
        plan.projectGraph.pos,
        `graph artifact "${plan.artifact}" is not <name>:<version>`,
        'set artifact: <name>:<version> for this graph in aio.yaml',
      ),
    );
  }
  const auth = plan.registryEndpoint.authentication;
  if (auth.method === 'UserAssignedManagedIdentity' && (auth.clientId === '' || auth.tenantId === '')) {
    out.push(
      finding(
        'error',
        'AIO_DEPLOY_REGISTRY_AUTH',
        env.positionOf(['registry', 'auth']),
        'UserAssignedManagedIdentity needs clientId and tenantId',
        'add clientId: and tenantId: under registry.auth',
      ),
    );
  }
  if (auth.method === 'ArtifactPullSecret' && auth.secretRef === '') {
    out.push(
      finding(
        'error',
        'AIO_DEPLOY_REGISTRY_AUTH',
        env.positionOf(['registry', 'auth']),
        'ArtifactPullSecret needs secretRef',
        'add secretRef: <secret name> under registry.auth',
      ),
    );
  }
  for (const { key } of plan.processor.configuration) {
    if (!CONFIG_KEY.test(key))
      out.push(
        finding(
          'error',
          'AIO_DEPLOY_CONFIG_KEY',
          env.positionOf(['configuration', key]),
          `configuration key "${key}" may hold only letters, digits, _ and -`,
          'rename the key to the parameter name the graph declares',
        ),
      );
  }
  const given = new Set(plan.processor.configuration.map((c) => c.key));
  for (const config of plan.graph.moduleConfigurations) {
    for (const parameter of config.parameters) {
      if (!parameter.required || given.has(parameter.name)) continue;
      out.push(
        finding(
          'error',
          'AIO_DEPLOY_PARAMETER_MISSING',
          env.positionOf(['configuration']),
          `environment ${env.name} does not set "${parameter.name}", which ${plan.graph.file}:${parameter.pos.line}:${parameter.pos.column} declares required (for ${config.name})`,
          `add ${parameter.name}: "<value>" under configuration:`,
        ),
      );
    }
  }
  if (env.kubernetes !== undefined && env.target === 'kubernetes') {
    const ns = env.kubernetes.namespace;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns) || ns.length > 63)
      out.push(
        finding(
          'error',
          'AIO_DEPLOY_NAME',
          env.positionOf(['kubernetes', 'namespace']),
          `namespace "${ns}" is not a valid Kubernetes namespace`,
          'use lower-case letters, digits and -',
        ),
      );
  }
  return out;
}
