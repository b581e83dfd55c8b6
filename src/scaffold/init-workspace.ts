/**
 * `aio init`: a workspace the AIO tooling also understands: graph.dataflow.yaml (source → the operator → sink),
 * aio.yaml with a `local` environment, data/ with a sample message, tests/ with one AIO test descriptor that passes,
 * operators/<name>/ from the template, .gitignore and .vscode/ (tasks, the graph schema for the YAML extension).
 * With the pipeline template, the graph is also a node of a DataflowGraph pipeline (pipeline-scaffold.ts).
 */
import { basename, resolve } from 'node:path';
import { graphSchema } from '../graph/schema.js';
import type { Language, OperatorKind } from '../workspace/operator-manifest.js';
import { assertOperatorName } from '../workspace/operator-name.js';
import { initialGraph } from './graph-scaffold.js';
import { KIND_TEMPLATES, SAMPLE_MESSAGE } from './operator-kinds.js';
import { operatorFiles } from './operator-files.js';
import { PIPELINE_FILE, pipelineCases, pipelineManifest, pipelineProjectFile } from './pipeline-scaffold.js';
import { workspaceTsconfig, writeSdkTypes } from './sdk-types.js';
import { vscodeFiles } from './vscode-files.js';
import { writeNewFiles } from './write-files.js';

export interface InitOptions {
  dir: string;
  /** Workspace (and graph) name; default: the folder's name. */
  name?: string;
  language: Language;
  operator: string;
  kind: OperatorKind;
  /** \`graph\`: the graph alone; \`pipeline\`: the graph as a node of a DataflowGraph between built-in transforms. */
  template?: 'graph' | 'pipeline';
}

export interface InitResult {
  root: string;
  files: string[];
}

export const GRAPH_FILE = 'graph.dataflow.yaml';

export async function initWorkspace(options: InitOptions): Promise<InitResult> {
  assertOperatorName(options.operator);
  const root = resolve(options.dir);
  const name = options.name ?? basename(root);
  const files = new Map<string, string>();
  files.set(GRAPH_FILE, initialGraph(name, options.operator, options.kind));
  if (options.template === 'pipeline') {
    files.set('aio.yaml', pipelineProjectFile(name, GRAPH_FILE));
    files.set(PIPELINE_FILE, pipelineManifest(name, options.operator));
    files.set('tests/pipeline.cases.yaml', pipelineCases(options.operator, options.kind));
  } else {
    files.set('aio.yaml', projectFile(name));
  }
  files.set('data/message1.json', `${JSON.stringify(SAMPLE_MESSAGE)}\n`);
  files.set(`tests/${options.operator}.test.yaml`, testDescriptor(options.operator, options.kind));
  files.set(`tests/${options.operator}.expected.json`, `${JSON.stringify([{ payload: KIND_TEMPLATES[options.kind].expected }], null, 2)}\n`);
  files.set('.gitignore', 'bin/\noutput/\ntarget/\n.aio/\nnode_modules/\n__pycache__/\n');
  for (const [path, text] of vscodeFiles(JSON.stringify(graphSchema, null, 2))) files.set(path, text);
  if (options.language === 'typescript') files.set('tsconfig.json', workspaceTsconfig());
  const operator = await operatorFiles(options.operator, options.language, options.kind);
  for (const [path, text] of [...operator.own, ...operator.shared]) files.set(path, text);
  const written = await writeNewFiles(root, files, 'aio init');
  if (options.language === 'typescript') await writeSdkTypes(root);
  return { root, files: written };
}

function projectFile(name: string): string {
  return `# One graph, bound per environment. \`aio emulate --env local\` runs it on this machine; add stages (arm,
# kubernetes) to deploy the same graph unchanged: see \`aio env schema\`.
graphs:
  ${name}:
    file: ${GRAPH_FILE}
    artifact: ${name}-graph:1.0.0

environments:
  local:
    target: emulator
    source: { topics: ["sensors/#"] }
    destination: { topic: processed }
`;
}

function testDescriptor(operator: string, kind: OperatorKind): string {
  return `# AIO test descriptor (the format the AIO tooling's test runner reads): data/ through the whole graph, the sink
# messages reduced to \`select\` and compared with the expected file. Run with \`aio test\`.
name: ${operator} (${kind}) on the sample message
graph: ../${GRAPH_FILE}
input: ../data
expected: ${operator}.expected.json
timeout: 30000
select:
  - payload
`;
}
