import { AioError } from '../errors.js';
import { FindingsError } from '../findings-error.js';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import type { Graph } from '../graph/model.js';
import type { Environment, Project, ProjectGraph } from '../project/model.js';
import { findProjectFile, loadProject, selectEnvironment, selectGraph } from '../project/load-project.js';
import { preparedGraph } from '../graph/release-graph.js';
import { planDeployment, type DeploymentPlan } from './plan.js';
import { checkDeployment } from './service-checks.js';
import { graphVariables } from '../graph/placeholders.js';
import { runsPipeline } from '../project/bind-pipeline.js';
import { graphDeployable, pipelineDeployable, type Deployable } from './deployable.js';
import { DEFAULT_PIPELINE_API_VERSION, planPipelineDeployment, type PipelineApiVersion, type PipelinePlan } from './pipeline-plan.js';

export interface DeploymentSelection {
  /** `--project`; default: aio.yaml here or above. */
  project?: string | undefined;
  /** `--env`; default: AIO_ENV, or the only environment. */
  env?: string | undefined;
  /** `--graph`; default: the only graph. */
  graph?: string | undefined;
}

/**
 * aio.yaml + environment + graph → a checked plan. The graph is read with its `${VAR}` placeholders filled, as it
 * is pushed; the service's own checks run here, so a deployment that would be rejected is never sent.
 */
export async function prepareDeployment(selection: DeploymentSelection): Promise<DeploymentPlan> {
  const project = await loadProject(findProjectFile(selection.project));
  return planGraph(project, deployableEnvironment(project, selection.env), selection.graph);
}

async function planGraph(project: Project, environment: Environment, graphKey: string | undefined): Promise<DeploymentPlan> {
  const projectGraph = selectGraph(project, graphKey);
  const { graph } = preparedGraph(projectGraph.file, await readUserTextOrThrow(projectGraph.file), await graphVariables(projectGraph.file));
  return checkedPlan(project, projectGraph, graph, environment);
}

/** An environment's deployment: its pipeline, or a graph (a pipeline of one node), with what the targets send. */
export type PreparedDeployment = { kind: 'graph'; plan: DeploymentPlan; target: Deployable } | { kind: 'pipeline'; plan: PipelinePlan; target: Deployable };

/**
 * `aio deploy graph`'s plan: an environment that binds a pipeline (or a project of pipelines only) deploys that
 * pipeline exactly as `aio render` writes it; otherwise the graph, as before. `--graph` always means a graph.
 */
export async function prepareEnvironmentDeployment(
  selection: DeploymentSelection,
  apiVersion: PipelineApiVersion = DEFAULT_PIPELINE_API_VERSION,
): Promise<PreparedDeployment> {
  const project = await loadProject(findProjectFile(selection.project));
  const environment = deployableEnvironment(project, selection.env);
  if (selection.graph === undefined && runsPipeline(project, environment)) {
    const plan = await planPipelineDeployment(project, environment, apiVersion);
    return { kind: 'pipeline', plan, target: pipelineDeployable(plan) };
  }
  const plan = await planGraph(project, environment, selection.graph);
  return { kind: 'graph', plan, target: graphDeployable(plan) };
}

/** The environment named (or implied), refused when it targets the emulator: there is nothing to deploy there. */
export function deployableEnvironment(project: Project, name: string | undefined): Environment {
  const environment = selectEnvironment(project, name);
  if (environment.target === 'emulator') {
    throw new AioError('AIO_ENV_NOT_DEPLOYABLE', `environment ${environment.name} targets the emulator; there is nothing to render or deploy`, {
      hint: `run \`aio emulate --env ${environment.name}\`, or choose an environment with target: arm or kubernetes`,
      location: { file: project.file, ...environment.positionOf(['target']) },
    });
  }
  return environment;
}

/**
 * Binds `graph` to `environment` and runs the service's checks on the result. The graph is the local file for
 * `deploy`, and the artifact read back from the source registry for `promote`, so what is checked is what ships.
 */
export function checkedPlan(project: Project, projectGraph: ProjectGraph, graph: Graph, environment: Environment): DeploymentPlan {
  const plan = planDeployment(project, projectGraph, graph, environment);
  const findings = checkDeployment(plan);
  if (findings.some((f) => f.severity === 'error')) {
    throw new FindingsError(
      'AIO_DEPLOY_CHECKS_FAILED',
      project.file,
      findings,
      'the service would reject this deployment',
      'fix aio.yaml (or the graph) at the positions above',
    );
  }
  return plan;
}
