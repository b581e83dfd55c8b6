/**
 * The pipeline an environment runs and deploys, bound: the manifest's `${VAR}` placeholders filled (the
 * environment's `variables:`, then the process environment, then `.env` beside aio.yaml), its `nodes:` applied,
 * and every manifest rule checked on the result. The one place a pipeline gets its stage's values, so
 * `aio emulate --env local` and `aio render --env prod` read the same manifest the same way. What the environment
 * fails to bind, or binds wrongly, is reported at aio.yaml's line:column; what the manifest gets wrong, at the
 * manifest's.
 */
import { dirname, join, relative } from 'node:path';
import { visit, type Scalar } from 'yaml';
import { finding, type Diagnostic, type Finding } from '../diagnostics.js';
import { AioError } from '../errors.js';
import { FindingsError } from '../findings-error.js';
import { readDotenv } from '../files/dotenv.js';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import { GraphInvalidError } from '../graph/validate.js';
import { locateEnvelope } from '../pipeline/envelope.js';
import { ManifestReader } from '../pipeline/manifest-reader.js';
import type { Manifest } from '../pipeline/model.js';
import { buildManifest } from '../pipeline/parse-manifest.js';
import { PIPELINE_RULES } from '../pipeline/rules/index.js';
import { manifestResult } from '../pipeline/validate-manifest.js';
import { keepingTopicTemplates, substitute } from '../util/variables.js';
import { parseYaml, positionOf } from '../yaml/parse-document.js';
import { applyNodeBindings } from './apply-node-bindings.js';
import type { Environment, Project, ProjectPipeline } from './model.js';

export interface BoundPipeline {
  pipeline: ProjectPipeline;
  manifest: Manifest;
  /** The manifest's warnings and notes (errors throw). */
  diagnostics: Diagnostic[];
}

/** Whether the environment runs a pipeline rather than a graph: it binds one, or the project has pipelines only. */
export function runsPipeline(project: Project, environment: Environment): boolean {
  return environment.pipeline !== undefined || (project.graphs.length === 0 && project.pipelines.length > 0);
}

export function selectPipeline(project: Project, environment: Environment): ProjectPipeline {
  const wanted = environment.pipeline?.pipeline;
  if (wanted !== undefined) return project.pipelines.find((p) => p.name === wanted)!; // load-project checked it exists
  if (project.pipelines.length === 1) return project.pipelines[0]!;
  throw new AioError(
    project.pipelines.length === 0 ? 'AIO_PROJECT_NO_PIPELINE' : 'AIO_PROJECT_PIPELINE_NOT_CHOSEN',
    project.pipelines.length === 0
      ? `environment ${environment.name} binds pipeline nodes, and ${project.file} has no pipelines:`
      : `${project.file} has ${project.pipelines.length} pipelines and environment ${environment.name} names none`,
    {
      hint:
        project.pipelines.length === 0
          ? 'add pipelines: { <name>: { file: <manifest> } }'
          : `add pipeline: <${project.pipelines.map((p) => p.name).join('|')}> to the environment`,
      location: { file: project.file, ...environment.pos },
    },
  );
}

export async function bindPipeline(project: Project, environment: Environment, env: NodeJS.ProcessEnv = process.env): Promise<BoundPipeline> {
  const pipeline = selectPipeline(project, environment);
  const file = relative(process.cwd(), pipeline.file) || pipeline.file;
  const parsed = parseYaml(await readUserTextOrThrow(pipeline.file));
  if (!parsed.ok) throw new GraphInvalidError(file, manifestResult(file, undefined, parsed.findings).diagnostics, 'DataflowGraph manifest');
  const dotenv = await readDotenv(join(dirname(project.file), '.env'));
  const variables = environment.pipeline?.variables ?? new Map<string, string>();
  const lookup = keepingTopicTemplates((name) => variables.get(name) ?? env[name] ?? dotenv.get(name));
  const projectFindings: Finding[] = [];
  const at = environment.positionOf(['variables']);
  visit(parsed.source.doc, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      const { text, missing } = substitute(node.value, lookup);
      node.value = text;
      const where = positionOf(parsed.source, node);
      for (const name of missing) {
        projectFindings.push(
          finding(
            'error',
            'AIO_PIPELINE_BINDING_MISSING',
            at,
            `environment ${environment.name} does not bind \${${name}}, which pipeline ${pipeline.name} uses at ${file}:${where.line}:${where.column}`,
            `add variables: { ${name}: <value> } to environment ${environment.name}, or set ${name} in the process environment or .env`,
          ),
        );
      }
    },
  });
  const location = locateEnvelope(parsed.source.doc.toJS());
  if (location === undefined) {
    throw new AioError('AIO_PIPELINE_NOT_A_MANIFEST', `pipeline ${pipeline.name}: ${file} is not a DataflowGraph manifest`, {
      hint: 'a pipeline names a Kubernetes DataflowGraph or an ARM dataflowGraphs resource',
      location: { file: project.file, ...pipeline.pos },
    });
  }
  const reader = new ManifestReader(parsed.source);
  reader.findings.push(...parsed.findings);
  const bound = applyNodeBindings(buildManifest(file, parsed.source, location, reader), environment.pipeline?.nodes ?? [], environment.name);
  projectFindings.push(...bound.findings);
  if (environment.target === 'emulator') projectFindings.push(...unboundEndpoints(bound.manifest, environment));
  if (projectFindings.length > 0) {
    throw new FindingsError(
      'AIO_PROJECT_INVALID',
      project.file,
      projectFindings,
      `environment ${environment.name} does not bind pipeline ${pipeline.name} completely`,
      'fix the environment at the positions above',
    );
  }
  const findings = [...reader.findings];
  for (const rule of PIPELINE_RULES) findings.push(...rule.check(bound.manifest));
  const result = manifestResult(file, bound.manifest, findings);
  if (!result.valid) throw new GraphInvalidError(file, result.diagnostics, 'DataflowGraph manifest');
  return { pipeline, manifest: bound.manifest, diagnostics: result.diagnostics };
}

/**
 * Locally every Source and Destination is the AIO MQTT broker (`default`: the embedded broker or `--broker`). An
 * emulator environment must bind any other endpoint to it, or the pipeline could not run here.
 */
function unboundEndpoints(manifest: Manifest, environment: Environment): Finding[] {
  return manifest.nodes.flatMap((node) =>
    node.nodeType === 'Graph' || node.endpointRef === undefined || node.endpointRef.value === 'default'
      ? []
      : [
          finding(
            'error',
            'AIO_PIPELINE_BINDING_MISSING',
            environment.positionOf(['nodes']),
            `environment ${environment.name} runs on the emulator, and node ${node.name} uses endpoint ${node.endpointRef.value} (${manifest.file}:${node.endpointRef.pos.line}:${node.endpointRef.pos.column}), which only the cluster has`,
            `bind it to the local broker: nodes: { ${node.name}: { endpoint: default } }`,
          ),
        ],
  );
}
