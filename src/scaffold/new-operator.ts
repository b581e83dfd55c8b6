/**
 * `aio operator new`: adds an operator folder from the template to a workspace and, when asked, wires it into the
 * graph before the sink.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { AioError } from '../errors.js';
import { listOperators, OPERATORS_DIR } from '../workspace/find-workspace.js';
import type { Language, OperatorKind } from '../workspace/operator-manifest.js';
import { assertOperatorName } from '../workspace/operator-name.js';
import { addOperatorToGraph } from './graph-scaffold.js';
import { GRAPH_FILE } from './init-workspace.js';
import { operatorFiles } from './operator-files.js';
import { writeSdkTypes } from './sdk-types.js';
import { writeNewFiles } from './write-files.js';

export interface NewOperatorOptions {
  root: string;
  name: string;
  kind: OperatorKind;
  /** Default: the language of the workspace's other operators, else TypeScript. */
  language?: Language;
  /** Wire it into this graph (relative to the root) before the sink. */
  addToGraph?: string;
}

export interface NewOperatorResult {
  name: string;
  language: Language;
  dir: string;
  files: string[];
  /** The graph it was added to. */
  graph?: string;
}

export async function newOperator(options: NewOperatorOptions): Promise<NewOperatorResult> {
  assertOperatorName(options.name);
  const existing = listOperators(options.root);
  if (existing.some((op) => op.name === options.name)) {
    throw new AioError('AIO_OPERATOR_EXISTS', `the workspace already has an operator named ${options.name}`, {
      hint: 'Choose another name (lowercase letters and digits).',
    });
  }
  const language = options.language ?? existing[0]?.language ?? 'typescript';
  const dir = join(OPERATORS_DIR, options.name);
  const { own, shared } = await operatorFiles(options.name, language, options.kind);
  const files = new Map(own);
  // A shared file (one .cargo/config.toml for every Rust operator) is written only by the first that needs it.
  for (const [path, text] of shared) if (!existsSync(join(options.root, path))) files.set(path, text);
  let graphText: string | undefined;
  const graphFile = options.addToGraph === undefined ? undefined : join(options.root, options.addToGraph);
  if (graphFile !== undefined) {
    if (!existsSync(graphFile))
      throw new AioError('AIO_FILE_NOT_FOUND', `${relative(process.cwd(), graphFile)} does not exist`, {
        hint: `Pass the graph with --add-to-graph <file> (default ${GRAPH_FILE}).`,
      });
    graphText = addOperatorToGraph(await readFile(graphFile, 'utf8'), relative(process.cwd(), graphFile), options.name, options.kind);
  }
  const written = await writeNewFiles(options.root, files, `aio operator new ${options.name}`);
  if (graphFile !== undefined && graphText !== undefined) await writeFile(graphFile, graphText);
  if (language === 'typescript') await writeSdkTypes(options.root);
  return { name: options.name, language, dir: join(options.root, dir), files: written, ...(options.addToGraph ? { graph: options.addToGraph } : {}) };
}
