/**
 * Finds the `.wasm` file for a graph's module reference on the local disk, the way the AIO tooling lays out a
 * workspace. The same lookup serves `aio emulate`, `aio test`, `aio build` and `aio registry push --graph`; pulling
 * a module that is not here is the run layer's (run/resolve-module.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AioError } from '../errors.js';
import type { Operation } from '../graph/model.js';

/** How many folders above the graph's own are searched for `operators/`. */
const PARENT_LEVELS = 2;

/** `azure-samples/x/temperature:1.0.0` → `temperature`; `filter@sha256:…` → `filter`; `map` → `map`. */
export function moduleName(reference: string): string {
  const withoutDigest = reference.split('@')[0]!;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon === -1 ? lastSegment : lastSegment.slice(0, colon);
}

/** Every place a module is looked for, in order. Rust names `otel-enrich` a file `otel_enrich.wasm`. */
export function candidatePaths(name: string, graphFile: string, moduleDirs: readonly string[]): string[] {
  const files = [...new Set([`${name}.wasm`, `${name.replaceAll('-', '_')}.wasm`])];
  const paths: string[] = [];
  for (const dir of moduleDirs) for (const file of files) paths.push(join(dir, file));
  let root = dirname(resolve(graphFile));
  for (let level = 0; level <= PARENT_LEVELS; level++) {
    const bin = join(root, 'operators', name, 'bin');
    const arches = listDirs(bin).filter((d) => d !== 'release' && d !== 'debug');
    for (const build of ['release', 'debug']) {
      for (const file of files) {
        paths.push(join(bin, build, file));
        for (const arch of arches) paths.push(join(bin, arch, build, file));
      }
    }
    const parent = dirname(root);
    if (parent === root) break;
    root = parent;
  }
  return paths;
}

/** The local file for an operation's module (for pushing it), or an error listing where it looked. */
export function locateModule(operation: Operation, graphFile: string, moduleDirs: readonly string[]): string {
  const { found, candidates } = findLocal(operation, graphFile, moduleDirs);
  if (found !== undefined) return found;
  throw moduleNotFound(operation, graphFile, candidates);
}

export function findLocal(operation: Operation, graphFile: string, moduleDirs: readonly string[]): { found: string | undefined; candidates: string[] } {
  const candidates = candidatePaths(moduleName(operation.module!), graphFile, moduleDirs);
  return { found: candidates.find((path) => existsSync(path)), candidates };
}

function moduleNotFound(operation: Operation, graphFile: string, candidates: string[]): AioError {
  const reference = operation.module!;
  const name = moduleName(reference);
  const pos = operation.modulePos ?? operation.pos;
  return new AioError(
    'AIO_EMULATE_MODULE_NOT_FOUND',
    `module ${reference} for operation ${operation.name} was not found; looked in:\n${candidates.map((c) => `    ${c}`).join('\n')}`,
    {
      hint: `Build the operator into operators/${name}/bin/release/${name}.wasm, pass --modules <dir> holding ${name}.wasm, or --registry <host> to pull it.`,
      location: { file: graphFile, line: pos.line, column: pos.column },
    },
  );
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
