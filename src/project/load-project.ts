import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { visit, type Scalar } from 'yaml';
import { finding, type Finding, type Position } from '../diagnostics.js';
import { AioError } from '../errors.js';
import { FindingsError } from '../findings-error.js';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import { nodeAtPath, parseYaml, positionOf, type SourceDocument } from '../yaml/parse-document.js';
import { schemaFindings } from '../yaml/schema-findings.js';
import { readDotenv } from '../files/dotenv.js';
import { keepingTopicTemplates, substitute, variableLookup, type VariableLookup } from '../util/variables.js';
import {
  DEFAULT_ENDPOINT,
  DEFAULT_NAMESPACE,
  DEFAULT_PROFILE,
  DEFAULT_REGISTRY_ENDPOINT,
  DEFAULT_SINK_TOPIC,
  DEFAULT_SOURCE_TOPICS,
  type EmulatorSettings,
  type Environment,
  type Project,
  type PipelineBinding,
  type ProjectGraph,
  type ProjectPipeline,
  type RegistryAuth,
  type RegistryBinding,
  type Target,
} from './model.js';
import { projectSchema } from './project-schema.js';
import { registryHostOf } from '../util/registry-host.js';
import type { RemoteSettings } from '../util/remote-limits.js';

export const PROJECT_FILE = 'aio.yaml';

let compiled: ValidateFunction | undefined;

/** The project file: `--project <file>`, else aio.yaml in the current folder or the nearest folder above. */
export function findProjectFile(explicit: string | undefined, from = process.cwd()): string {
  if (explicit !== undefined) return explicit;
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, PROJECT_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new AioError('AIO_PROJECT_NOT_FOUND', `no ${PROJECT_FILE} in ${process.cwd()} or any folder above it`, {
    hint: `create one (see the README's "aio.yaml" section), or pass --project <file>`,
  });
}

/**
 * Loads aio.yaml: `${VAR}` filled from the environment, then from `.env` beside the file; checked against the
 * schema; every graph file must exist. All problems are reported at once with line:column.
 */
export async function loadProject(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Project> {
  const text = await readUserTextOrThrow(file);
  const dotenv = await readDotenv(join(dirname(file), '.env'));
  const parsed = parseYaml(text);
  if (!parsed.ok) throw projectInvalid(file, parsed.findings);
  const findings: Finding[] = [...parsed.findings];
  const secrets = interpolate(parsed.source, keepingTopicTemplates(variableLookup(env, dotenv)), findings);
  const value = parsed.source.doc.toJS() as unknown;
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(projectSchema);
  findings.push(...schemaFindings(parsed.source, value, compiled, projectSchema));
  if (findings.some((f) => f.severity === 'error')) throw projectInvalid(file, findings);
  const project = buildProject(file, parsed.source, value as RawProject, secrets, findings);
  if (findings.some((f) => f.severity === 'error')) throw projectInvalid(file, findings);
  return project;
}

/** Replaces variables in every scalar, in place; unset ones are findings at the scalar. Returns secret values. */
function interpolate(source: SourceDocument, lookup: VariableLookup, findings: Finding[]): Set<string> {
  const secrets = new Set<string>();
  visit(source.doc, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      const { text, missing, secrets: found } = substitute(node.value, lookup);
      node.value = text;
      for (const secret of found) secrets.add(secret);
      for (const name of missing) {
        findings.push(
          finding(
            'error',
            'AIO_PROJECT_VAR_UNSET',
            positionOf(source, node),
            `\${${name}} is not set`,
            `set ${name} in the environment or in .env beside aio.yaml, or write \${${name}:-default}`,
          ),
        );
      }
    },
  });
  return secrets;
}

interface RawProject {
  graphs?: Record<string, { file: string; artifact?: string }>;
  pipelines?: Record<string, { file: string }>;
  modules?: { dirs?: string[] };
  emulator?: EmulatorSettings;
  remote?: RemoteSettings;
  environments: Record<string, RawEnvironment>;
}

interface RawEnvironment {
  target: Target;
  graphName?: string;
  registry?: {
    host: string;
    endpoint?: string;
    auth?: { method: RegistryAuth['method'] } & Record<string, string>;
    acr?: { name: string; location?: string; sku?: 'Basic' | 'Standard' | 'Premium'; pullPrincipalId?: string };
  };
  instance?: { subscription: string; resourceGroup: string; name: string; customLocation: string; profile?: string; location?: string };
  kubernetes?: { context?: string; namespace?: string; profile?: string; kubeconfig?: string };
  source?: { endpoint?: string; topics?: string[] };
  destination?: { endpoint?: string; topic?: string };
  configuration?: Record<string, string>;
  pipeline?: string;
  variables?: Record<string, string>;
  nodes?: Record<string, { endpoint?: string; topics?: string[]; topic?: string; registryEndpoint?: string; configuration?: Record<string, string> }>;
}

function buildProject(file: string, source: SourceDocument, raw: RawProject, secrets: Set<string>, findings: Finding[]): Project {
  const dir = dirname(resolve(file));
  const at = (path: ReadonlyArray<string | number>): Position => {
    const { node, keyNode } = nodeAtPath(source, path);
    return positionOf(source, node ?? keyNode);
  };
  /** Where a key is written (a node binding is reported at its name). */
  const keyAt = (path: ReadonlyArray<string | number>): Position => {
    const { node, keyNode } = nodeAtPath(source, path);
    return positionOf(source, keyNode ?? node);
  };
  const graphs: ProjectGraph[] = Object.entries(raw.graphs ?? {}).map(([name, g]) => {
    const path = isAbsolute(g.file) ? g.file : join(dir, g.file);
    if (!existsSync(path))
      findings.push(
        finding(
          'error',
          'AIO_PROJECT_GRAPH_NOT_FOUND',
          at(['graphs', name, 'file']),
          `graph ${name}: ${g.file} does not exist`,
          'paths are relative to aio.yaml',
        ),
      );
    return { name, file: path, artifact: g.artifact, pos: at(['graphs', name]) };
  });
  if (raw.graphs === undefined && raw.pipelines === undefined) {
    findings.push(
      finding(
        'error',
        'AIO_PROJECT_NOTHING_TO_RUN',
        { line: 1, column: 1 },
        `${file} has neither graphs: nor pipelines:`,
        'add graphs: { <name>: { file: graph.dataflow.yaml } } or pipelines: { <name>: { file: <DataflowGraph manifest> } }',
      ),
    );
  }
  const pipelines: ProjectPipeline[] = Object.entries(raw.pipelines ?? {}).map(([name, p]) => {
    const path = isAbsolute(p.file) ? p.file : join(dir, p.file);
    if (!existsSync(path))
      findings.push(
        finding(
          'error',
          'AIO_PROJECT_PIPELINE_NOT_FOUND',
          at(['pipelines', name, 'file']),
          `pipeline ${name}: ${p.file} does not exist`,
          'paths are relative to aio.yaml',
        ),
      );
    return { name, file: path, pos: at(['pipelines', name]) };
  });
  const environments = new Map<string, Environment>();
  for (const [name, e] of Object.entries(raw.environments)) {
    const base = ['environments', name];
    const positionOfValue = (path: ReadonlyArray<string | number>) => at([...base, ...path]);
    const environment: Environment = {
      name,
      target: e.target,
      graphName: e.graphName,
      registry: e.registry === undefined ? undefined : registryBinding(e.registry),
      instance:
        e.instance === undefined
          ? undefined
          : {
              subscription: e.instance.subscription,
              resourceGroup: e.instance.resourceGroup,
              name: e.instance.name,
              customLocationId: e.instance.customLocation.startsWith('/')
                ? e.instance.customLocation
                : `/subscriptions/${e.instance.subscription}/resourceGroups/${e.instance.resourceGroup}/providers/Microsoft.ExtendedLocation/customLocations/${e.instance.customLocation}`,
              profile: e.instance.profile ?? DEFAULT_PROFILE,
              location: e.instance.location,
            },
      kubernetes:
        e.target === 'kubernetes' || e.kubernetes !== undefined
          ? {
              context: e.kubernetes?.context,
              namespace: e.kubernetes?.namespace ?? DEFAULT_NAMESPACE,
              profile: e.kubernetes?.profile ?? DEFAULT_PROFILE,
              kubeconfig: e.kubernetes?.kubeconfig,
            }
          : undefined,
      source: { endpoint: e.source?.endpoint ?? DEFAULT_ENDPOINT, topics: e.source?.topics ?? [...DEFAULT_SOURCE_TOPICS] },
      destination: { endpoint: e.destination?.endpoint ?? DEFAULT_ENDPOINT, topic: e.destination?.topic ?? DEFAULT_SINK_TOPIC },
      configuration: Object.entries(e.configuration ?? {}).map(([key, value]) => ({ key, value: String(value) })),
      pipeline: pipelineBinding(e, (path) => keyAt([...base, ...path])),
      pos: at(base),
      positionOf: positionOfValue,
    };
    if (e.target === 'arm' && e.instance === undefined) {
      findings.push(
        finding(
          'error',
          'AIO_PROJECT_TARGET_INCOMPLETE',
          at([...base, 'target']),
          `environment ${name} targets arm but has no instance:`,
          'add instance: { subscription, resourceGroup, name, customLocation }',
        ),
      );
    }
    if (e.target !== 'emulator' && e.registry === undefined) {
      findings.push(
        finding(
          'error',
          'AIO_PROJECT_TARGET_INCOMPLETE',
          at([...base, 'target']),
          `environment ${name} targets ${e.target} but has no registry:`,
          'add registry: { host: <registry host> } so the cluster knows where to pull the graph',
        ),
      );
    }
    if (e.target !== 'emulator' && environment.registry?.plainHttp) {
      findings.push(
        finding(
          'error',
          'AIO_PROJECT_PLAIN_HTTP',
          at([...base, 'registry', 'host']),
          `environment ${name}: a cluster pulls over TLS only; http:// is for the emulator`,
          'write the registry host without http://',
        ),
      );
    }
    if (e.pipeline !== undefined && !pipelines.some((p) => p.name === e.pipeline)) {
      findings.push(
        finding(
          'error',
          'AIO_PROJECT_PIPELINE_UNKNOWN',
          at([...base, 'pipeline']),
          `environment ${name}: pipeline ${e.pipeline} is not under pipelines:`,
          pipelines.length === 0 ? 'add pipelines: { <name>: { file: <manifest> } }' : `pipelines: ${pipelines.map((p) => p.name).join(', ')}`,
        ),
      );
    }
    environments.set(name, environment);
  }
  const moduleDirs = (raw.modules?.dirs ?? []).map((d) => (isAbsolute(d) ? d : join(dir, d)));
  return { file, dir, graphs, pipelines, moduleDirs, emulator: raw.emulator ?? {}, remote: raw.remote ?? {}, environments, secrets };
}

/** The environment's `pipeline:`, `variables:` and `nodes:`; undefined when it has none of them. */
function pipelineBinding(e: RawEnvironment, keyAt: (path: ReadonlyArray<string | number>) => Position): PipelineBinding | undefined {
  if (e.pipeline === undefined && e.variables === undefined && e.nodes === undefined) return undefined;
  return {
    pipeline: e.pipeline,
    variables: new Map(Object.entries(e.variables ?? {}).map(([k, v]) => [k, String(v)])),
    nodes: Object.entries(e.nodes ?? {}).map(([node, b]) => ({
      node,
      pos: keyAt(['nodes', node]),
      endpoint: b.endpoint,
      topics: b.topics,
      topic: b.topic,
      registryEndpoint: b.registryEndpoint,
      configuration: Object.entries(b.configuration ?? {}).map(([key, value]) => ({ key, value: String(value) })),
    })),
  };
}

function registryBinding(raw: NonNullable<RawEnvironment['registry']>): RegistryBinding {
  const plainHttp = raw.host.startsWith('http://');
  const host = registryHostOf(raw.host);
  const a = raw.auth;
  const auth: RegistryAuth =
    a === undefined || a.method === 'SystemAssignedManagedIdentity'
      ? { method: 'SystemAssignedManagedIdentity', ...(a?.['audience'] ? { audience: a['audience'] } : {}) }
      : a.method === 'UserAssignedManagedIdentity'
        ? { method: 'UserAssignedManagedIdentity', clientId: a['clientId'] ?? '', tenantId: a['tenantId'] ?? '', ...(a['scope'] ? { scope: a['scope'] } : {}) }
        : a.method === 'ArtifactPullSecret'
          ? { method: 'ArtifactPullSecret', secretRef: a['secretRef'] ?? '' }
          : { method: 'Anonymous' };
  return {
    host,
    plainHttp,
    endpoint: raw.endpoint ?? DEFAULT_REGISTRY_ENDPOINT,
    auth,
    acr:
      raw.acr === undefined
        ? undefined
        : { name: raw.acr.name, location: raw.acr.location, sku: raw.acr.sku ?? 'Standard', pullPrincipalId: raw.acr.pullPrincipalId || undefined },
  };
}

/** aio.yaml with errors. */
function projectInvalid(file: string, findings: readonly Finding[]): FindingsError {
  return new FindingsError(
    'AIO_PROJECT_INVALID',
    file,
    findings,
    `${file} is not valid`,
    'fix the findings above; `aio env schema` prints the schema for editors',
  );
}

/** The environment `--env` or `AIO_ENV` names; with one environment, that one. */
export function selectEnvironment(project: Project, name: string | undefined): Environment {
  const wanted = name ?? process.env['AIO_ENV'];
  const names = [...project.environments.keys()];
  if (wanted === undefined) {
    if (names.length === 1) return project.environments.get(names[0]!)!;
    throw new AioError('AIO_ENV_NOT_CHOSEN', `${project.file} has ${names.length} environments and none was chosen`, {
      hint: `pass --env <${names.join('|')}> or set AIO_ENV`,
    });
  }
  const found = project.environments.get(wanted);
  if (found === undefined)
    throw new AioError('AIO_ENV_UNKNOWN', `environment "${wanted}" is not in ${project.file}`, { hint: `environments: ${names.join(', ')}` });
  return found;
}

/** The project graph a command works on: `--graph <name>`, or the only one. */
export function selectGraph(project: Project, name: string | undefined): ProjectGraph {
  if (name === undefined) {
    if (project.graphs.length === 1) return project.graphs[0]!;
    throw new AioError('AIO_PROJECT_GRAPH_NOT_CHOSEN', `${project.file} has ${project.graphs.length} graphs and none was chosen`, {
      hint: `pass --graph <${project.graphs.map((g) => g.name).join('|')}>`,
    });
  }
  const found = project.graphs.find((g) => g.name === name);
  if (found === undefined)
    throw new AioError('AIO_PROJECT_GRAPH_UNKNOWN', `graph "${name}" is not in ${project.file}`, {
      hint: `graphs: ${project.graphs.map((g) => g.name).join(', ')}`,
    });
  return found;
}
