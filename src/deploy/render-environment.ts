/**
 * `aio render`'s service: the environment's deployment as a document. An environment that binds a pipeline (or a
 * project of pipelines only) renders its DataflowGraph manifest with the environment's values; otherwise the
 * project's graph renders as a pipeline of one node (source → graph → destination), as before.
 */
import { AioError } from '../errors.js';
import { findProjectFile, loadProject } from '../project/load-project.js';
import { runsPipeline } from '../project/bind-pipeline.js';
import { requireInstance } from './plan.js';
import { checkedPlan, deployableEnvironment, type DeploymentSelection } from './prepare-deployment.js';
import { DEFAULT_PIPELINE_API_VERSION, planPipelineDeployment, type PipelineApiVersion } from './pipeline-plan.js';
import { renderArmTemplate } from './render/arm.js';
import { renderBicep } from './render/bicep.js';
import { renderKubernetesYaml } from './render/kubernetes.js';
import { renderPipelineArm, renderPipelineBicep, renderPipelineKubernetesYaml } from './render/pipeline-documents.js';
import { selectGraph } from '../project/load-project.js';
import { preparedGraph } from '../graph/release-graph.js';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import { graphVariables } from '../graph/placeholders.js';

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
  const project = await loadProject(findProjectFile(request.project));
  const environment = deployableEnvironment(project, request.env);
  const format = request.format ?? (environment.target === 'kubernetes' ? 'k8s' : 'arm');
  const needsInstance = (name: string) => {
    if (format !== 'k8s' && environment.instance === undefined)
      throw new AioError('AIO_RENDER_NEEDS_INSTANCE', `environment ${environment.name} has no instance:, which --format ${format} needs`, {
        hint: `add instance: { subscription, resourceGroup, name, customLocation } to it, or render ${name} with --format k8s`,
        location: { file: project.file, ...environment.pos },
      });
  };
  if (request.graph === undefined && runsPipeline(project, environment)) {
    const plan = await planPipelineDeployment(project, environment, request.apiVersion ?? DEFAULT_PIPELINE_API_VERSION);
    needsInstance(`pipeline ${plan.pipeline.name}`);
    const document = format === 'arm' ? renderPipelineArm(plan) : format === 'bicep' ? renderPipelineBicep(plan) : renderPipelineKubernetesYaml(plan);
    return { environment: environment.name, format, source: `pipeline ${plan.pipeline.name}`, document };
  }
  if (request.apiVersion !== undefined) {
    throw new AioError('AIO_RENDER_API_VERSION_GRAPH', `--api-version applies to pipelines; environment ${environment.name} renders a graph`, {
      hint: 'drop --api-version (a graph renders at 2026-07-01), or bind a pipeline in the environment',
    });
  }
  const projectGraph = selectGraph(project, request.graph);
  const { graph } = preparedGraph(projectGraph.file, await readUserTextOrThrow(projectGraph.file), await graphVariables(projectGraph.file));
  const plan = checkedPlan(project, projectGraph, graph, environment);
  if (format !== 'k8s') requireInstance(plan, `--format ${format} (or render --format k8s)`);
  const document = format === 'arm' ? renderArmTemplate(plan) : format === 'bicep' ? renderBicep(plan) : renderKubernetesYaml(plan);
  return { environment: environment.name, format, source: `graph ${projectGraph.name}`, document };
}
