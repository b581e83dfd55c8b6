/**
 * `aio render`'s service: the environment's deployment as a document. An environment that binds a pipeline (or a
 * project of pipelines only) renders its DataflowGraph manifest with the environment's values; otherwise the
 * project's graph renders as a pipeline of one node (source → graph → destination), as before.
 */
import { AioError } from '../errors.js';
import { requireInstance } from './plan.js';
import { prepareEnvironmentDeployment, type DeploymentSelection } from './prepare-deployment.js';
import type { PipelineApiVersion } from './pipeline-plan.js';
import { renderArmTemplate } from './render/arm.js';
import { renderBicep } from './render/bicep.js';
import { renderKubernetesYaml } from './render/kubernetes.js';
import { renderPipelineArm, renderPipelineBicep, renderPipelineKubernetesYaml } from './render/pipeline-documents.js';

export type RenderFormat = 'arm' | 'bicep' | 'k8s';

export interface RenderRequest extends DeploymentSelection {
  format?: RenderFormat | undefined;
  /** Pipelines only; default DEFAULT_PIPELINE_API_VERSION. */
  apiVersion?: PipelineApiVersion | undefined;
}

export interface Rendered {
  environment: string;
  format: RenderFormat;
  /** What was rendered: `pipeline <name>` or `graph <name>`. */
  source: string;
  document: unknown;
}

export async function renderEnvironment(request: RenderRequest): Promise<Rendered> {
  const prepared = await prepareEnvironmentDeployment(request, request.apiVersion);
  const { environment, project } = prepared.target;
  const format = request.format ?? (environment.target === 'kubernetes' ? 'k8s' : 'arm');
  if (prepared.kind === 'pipeline') {
    const { plan } = prepared;
    if (format !== 'k8s' && environment.instance === undefined)
      throw new AioError('AIO_RENDER_NEEDS_INSTANCE', `environment ${environment.name} has no instance:, which --format ${format} needs`, {
        hint: `add instance: { subscription, resourceGroup, name, customLocation } to it, or render pipeline ${plan.pipeline.name} with --format k8s`,
        location: { file: project.file, ...environment.pos },
      });
    const document = format === 'arm' ? renderPipelineArm(plan) : format === 'bicep' ? renderPipelineBicep(plan) : renderPipelineKubernetesYaml(plan);
    return { environment: environment.name, format, source: `pipeline ${plan.pipeline.name}`, document };
  }
  if (request.apiVersion !== undefined) {
    throw new AioError('AIO_RENDER_API_VERSION_GRAPH', `--api-version applies to pipelines; environment ${environment.name} renders a graph`, {
      hint: 'drop --api-version (a graph renders at 2026-07-01), or bind a pipeline in the environment',
    });
  }
  const { plan } = prepared;
  if (format !== 'k8s') requireInstance(plan, `--format ${format} (or render --format k8s)`);
  const document = format === 'arm' ? renderArmTemplate(plan) : format === 'bicep' ? renderBicep(plan) : renderKubernetesYaml(plan);
  return { environment: environment.name, format, source: `graph ${plan.projectGraph.name}`, document };
}
