/**
 * After a build, the module must fit the workspace's graphs: every operation whose `module:` names this operator
 * needs the interface of its `operationType` (a `filter` operation needs `wasm-graph:processor/filter`). The same
 * check `aio emulate` would fail on at start, made while the author is still at the code.
 */
import { dirname, relative, resolve } from 'node:path';
import { discoverGraphFiles } from '../graph/discover.js';
import { validateGraphFile } from '../graph/validate.js';
import { MODULE_OPERATION_TYPES, type Graph } from '../graph/model.js';
import { moduleName } from '../workspace/module-locator.js';
import { OPERATORS_DIR } from '../workspace/find-workspace.js';

export interface InterfaceMismatch {
  /** `graph.dataflow.yaml:12:5: …`, relative to where aio runs. */
  line: string;
  operation: string;
  needs: string;
}

/** The valid graphs of a workspace (outside operators/), loaded once per build. */
export async function workspaceGraphs(root: string): Promise<Graph[]> {
  const { files } = await discoverGraphFiles([root]);
  const operatorsDir = resolve(root, OPERATORS_DIR);
  const graphs: Graph[] = [];
  for (const file of files) {
    if (!relative(operatorsDir, resolve(file)).startsWith('..')) continue;
    if (dirname(resolve(file)) !== resolve(root) && !/\.dataflow\.ya?ml$|graph/i.test(file)) continue;
    const validation = await validateGraphFile(file);
    if (validation.valid && validation.graph !== undefined) graphs.push(validation.graph);
  }
  return graphs;
}

export function checkAgainstGraphs(operator: string, moduleFile: string, exported: readonly string[], graphs: readonly Graph[]): InterfaceMismatch[] {
  const mismatches: InterfaceMismatch[] = [];
  for (const graph of graphs) {
    for (const operation of graph.operations) {
      if (operation.type === undefined || !MODULE_OPERATION_TYPES.has(operation.type) || operation.module === undefined) continue;
      if (moduleName(operation.module) !== operator || exported.includes(operation.type)) continue;
      const pos = operation.typePos;
      const file = relative(process.cwd(), graph.file) || graph.file;
      mismatches.push({
        operation: operation.name,
        needs: operation.type,
        line: `${file}:${pos.line}:${pos.column}: error: operation ${operation.name} is a ${operation.type}, but ${relative(process.cwd(), moduleFile)} exports ${exported.length ? exported.join(', ') : 'no operator interface'}`,
      });
    }
  }
  return mismatches;
}
