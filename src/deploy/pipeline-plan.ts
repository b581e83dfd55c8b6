/**
 * What deploying an environment's pipeline consists of, target-neutral: the manifest as the environment bound it
 * (project/bind-pipeline.ts), the DataflowGraph's name and profile, the API version to write, and the
 * RegistryEndpoints its custom graph nodes pull through. Renderers turn it into ARM, Bicep or Kubernetes
 * documents. A custom node the manifest points at `default` (as written for the laptop) is pointed at the
 * environment's registry endpoint; built-in transforms keep `default`, the endpoint AIO creates for
 * mcr.microsoft.com.
 */
import { finding, type Finding, type Position } from '../diagnostics.js';
import { AioError } from '../errors.js';
import { FindingsError } from '../findings-error.js';
import { isBuiltinArtifact } from '../builtins/transforms/index.js';
import type { GraphNode, Manifest, PipelineNode } from '../pipeline/model.js';
import { bindPipeline } from '../project/bind-pipeline.js';
import type { Environment, Project, ProjectPipeline, RegistryAuth } from '../project/model.js';

/** API versions of Microsoft.IoTOperations that have DataflowGraph (builtin-transforms.md §1.2), oldest first. */
export const PIPELINE_API_VERSIONS = ['2025-07-01-preview', '2025-10-01', '2026-03-01', '2026-07-01', '2026-10-01', '2026-11-01-preview'] as const;
export type PipelineApiVersion = (typeof PIPELINE_API_VERSIONS)[number];
export const DEFAULT_PIPELINE_API_VERSION: PipelineApiVersion = '2026-10-01';

const RESOURCE_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export interface RegistryEndpointPlan {
  name: string;
  host: string;
  authentication: RegistryAuth;
}

export interface PipelinePlan {
  project: Project;
  environment: Environment;
  pipeline: ProjectPipeline;
  /** Bound, with custom nodes pointed at the environment's registry endpoint. */
  manifest: Manifest;
  graphName: string;
  profile: string;
  apiVersion: PipelineApiVersion;
  /** The RegistryEndpoints custom nodes name (none when every node is a built-in). */
  registryEndpoints: RegistryEndpointPlan[];
}

export async function planPipelineDeployment(project: Project, environment: Environment, apiVersion: PipelineApiVersion): Promise<PipelinePlan> {
  const { pipeline, manifest: bound } = await bindPipeline(project, environment);
  const registry = environment.registry!; // load-project requires one for every cluster target
  const nodes = bound.nodes.map(
    (node): PipelineNode =>
      isCustomGraph(node) && node.registryEndpointRef?.value === 'default'
        ? { ...node, registryEndpointRef: { value: registry.endpoint, pos: node.registryEndpointRef.pos } }
        : node,
  );
  const manifest = { ...bound, nodes };
  const used = new Set(nodes.flatMap((n) => (isCustomGraph(n) && n.registryEndpointRef !== undefined ? [n.registryEndpointRef.value] : [])));
  const unknown = [...used].filter((name) => name !== registry.endpoint);
  if (unknown.length > 0) {
    throw new AioError(
      'AIO_RENDER_REGISTRY_ENDPOINT_UNKNOWN',
      `pipeline ${pipeline.name} pulls through ${unknown.join(', ')}, and environment ${environment.name} binds only ${registry.endpoint}`,
      {
        hint: `bind the custom nodes to it (nodes: { <node>: { registryEndpoint: ${registry.endpoint} } }), or set registry.endpoint: to the name they use`,
        location: { file: project.file, ...environment.positionOf(['registry']) },
      },
    );
  }
  const graphName = environment.graphName ?? bound.name?.value ?? pipeline.name;
  checkName(project, environment, graphName);
  checkApiVersion(manifest, apiVersion);
  return {
    project,
    environment,
    pipeline,
    manifest,
    graphName,
    profile: environment.instance?.profile ?? environment.kubernetes?.profile ?? bound.profileRef?.value ?? 'default',
    apiVersion,
    registryEndpoints: used.size === 0 ? [] : [{ name: registry.endpoint, host: registry.host, authentication: registry.auth }],
  };
}

function isCustomGraph(node: PipelineNode): node is GraphNode {
  return node.nodeType === 'Graph' && node.artifact !== undefined && !isBuiltinArtifact(node.artifact.value);
}

function checkName(project: Project, environment: Environment, name: string): void {
  if (RESOURCE_NAME.test(name)) return;
  throw new FindingsError(
    'AIO_DEPLOY_CHECKS_FAILED',
    project.file,
    [
      finding(
        'error',
        'AIO_DEPLOY_NAME',
        environment.positionOf(environment.graphName === undefined ? ['target'] : ['graphName']),
        `the DataflowGraph name "${name}" is not a valid resource name: 3–63 lower-case letters, digits and -, starting and ending with a letter or digit`,
        'set graphName: in this environment',
      ),
    ],
    'the service would reject this deployment',
    'fix aio.yaml at the position above',
  );
}

/** Fields the chosen API version lacks are refused where the manifest writes them, not dropped in silence. */
function checkApiVersion(manifest: Manifest, apiVersion: PipelineApiVersion): void {
  const at = PIPELINE_API_VERSIONS.indexOf(apiVersion);
  const since = (version: PipelineApiVersion) => at >= PIPELINE_API_VERSIONS.indexOf(version);
  const findings: Finding[] = [];
  const refuse = (pos: Position, field: string, versions: string) =>
    findings.push(
      finding(
        'error',
        'AIO_RENDER_API_VERSION_FIELD',
        pos,
        `${field} is not in API version ${apiVersion}`,
        `it is in ${versions}: pass --api-version accordingly`,
      ),
    );
  for (const node of manifest.nodes) {
    if (node.nodeType !== 'Destination') continue;
    if (node.headers !== undefined && !since('2025-10-01')) refuse(node.headers.pos, `node ${node.name}: destinationSettings.headers`, '2025-10-01 and later');
    if (node.outputSchemaSettings !== undefined && at > 0 && !since('2026-10-01'))
      refuse(node.outputSchemaSettings.pos, `node ${node.name}: destinationSettings.outputSchemaSettings`, '2025-07-01-preview and 2026-10-01 and later');
  }
  if (manifest.fileStores !== undefined && !since('2026-11-01-preview')) refuse(manifest.fileStores.pos, 'fileStores', '2026-11-01-preview');
  if (findings.length > 0)
    throw new FindingsError(
      'AIO_RENDER_API_VERSION_FIELD',
      manifest.file,
      findings,
      `the pipeline cannot be written at API version ${apiVersion}`,
      'choose another --api-version, or remove the field',
    );
}

/** The DataflowGraph `properties` (the Kubernetes `spec`, less `profileRef`): the manifest's nodes and connections as bound. */
export function pipelineProperties(plan: PipelinePlan): Record<string, unknown> {
  const m = plan.manifest;
  return {
    mode: m.mode?.value ?? 'Enabled',
    requestDiskPersistence: m.requestDiskPersistence?.value ?? 'Disabled',
    nodes: m.nodes.map(nodeDocument),
    nodeConnections: m.connections.map((c) => {
      const schema = c.from.schema;
      const from = {
        name: c.from.port === undefined ? c.from.node : `${c.from.node}.${c.from.port}`,
        ...(schema === undefined
          ? {}
          : {
              schema: {
                ...(schema.serializationFormat === undefined ? {} : { serializationFormat: schema.serializationFormat.value }),
                ...(schema.schemaRef === undefined ? {} : { schemaRef: schema.schemaRef.value }),
              },
            }),
      };
      return { from, to: { name: c.to.name } };
    }),
    ...(m.fileStores === undefined
      ? {}
      : {
          fileStores: m.fileStores.entries.map((f) => ({
            id: f.id?.value,
            persistentVolumeClaimRef: f.persistentVolumeClaimRef?.value,
            ...(f.subPath === undefined ? {} : { subPath: f.subPath.value }),
            ...(f.readOnly === undefined ? {} : { readOnly: f.readOnly }),
          })),
        }),
  };
}

function nodeDocument(node: PipelineNode): Record<string, unknown> {
  switch (node.nodeType) {
    case 'Source':
      return {
        nodeType: 'Source',
        name: node.name,
        sourceSettings: {
          endpointRef: node.endpointRef?.value,
          dataSources: node.dataSources.map((d) => d.value),
          ...(node.assetRef === undefined ? {} : { assetRef: node.assetRef.value }),
        },
      };
    case 'Graph':
      return {
        nodeType: 'Graph',
        name: node.name,
        graphSettings: {
          registryEndpointRef: node.registryEndpointRef?.value,
          artifact: node.artifact?.value,
          configuration: node.configuration.map((c) => ({ key: c.key, value: c.value })),
        },
      };
    case 'Destination':
      return {
        nodeType: 'Destination',
        name: node.name,
        destinationSettings: {
          endpointRef: node.endpointRef?.value,
          dataDestination: node.dataDestination?.value,
          ...(node.headers === undefined
            ? {}
            : {
                headers: node.headers.actions.map((h) => ({
                  actionType: h.actionType?.value,
                  key: h.key?.value,
                  ...(h.value === undefined ? {} : { value: h.value.value }),
                })),
              }),
          ...(node.outputSchemaSettings === undefined
            ? {}
            : {
                outputSchemaSettings: {
                  serializationFormat: node.outputSchemaSettings.serializationFormat,
                  ...(node.outputSchemaSettings.schemaRef === undefined ? {} : { schemaRef: node.outputSchemaSettings.schemaRef.value }),
                },
              }),
        },
      };
  }
}
