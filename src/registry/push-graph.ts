import { basename } from 'node:path';
import { locateModule } from '../workspace/module-locator.js';
import { AioError } from '../errors.js';
import type { Graph, Operation } from '../graph/model.js';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import { mapLimit } from '../util/map-limit.js';
import { graphArtifact } from './artifacts.js';
import { parseReference, type ArtifactReference } from './reference.js';
import { creationTime, planFile, pushPlan, type PushResult, type RegistryAccess } from './transfer.js';
import { defaultArtifactName, preparedGraph } from '../graph/release-graph.js';
import { graphVariables } from '../graph/placeholders.js';

export interface GraphPushResult {
  graph: PushResult;
  /** One per distinct module reference, in the order the graph names them. */
  modules: Array<PushResult & { file: string }>;
}

export interface GraphPushOptions {
  /** `<name>:<version>` of the graph artifact; default from the graph's metadata name and version. */
  artifact?: string | undefined;
  moduleDirs: readonly string[];
  access: RegistryAccess;
  /** Called before each artifact is pushed, for progress lines. */
  onStart?: (what: string) => void;
}

/** Modules pushed at once: enough to hide request latency, few enough not to trip registry rate limits. */
const PARALLEL_MODULES = 4;

/**
 * Pushes a graph and every module it references from the local workspace. The cluster resolves each module
 * reference (`thermostat:1.0.0`) against the registry endpoint's host, so each goes to `<registry>/<reference>`.
 * Modules go first and the graph last: a running graph that follows the tag never sees a module missing.
 */
export async function pushGraphWithModules(graphFile: string, registry: string, options: GraphPushOptions): Promise<GraphPushResult> {
  const { bytes, graph } = preparedGraph(graphFile, await readUserTextOrThrow(graphFile), await graphVariables(graphFile));
  const graphRef = parseReference(`${registry}/${options.artifact ?? defaultArtifactName(graph)}`, { requireTagOrDigest: true });
  const created = creationTime();
  const collision = distinctModules(graph).find((op) => parseReference(`${registry}/${op.module}`).repository === graphRef.repository);
  if (collision !== undefined) {
    throw new AioError(
      'AIO_REGISTRY_NAME_COLLISION',
      `the graph artifact ${graphRef.repository} would overwrite module ${collision.module} of operation ${collision.name}`,
      {
        hint: 'give the graph another name with --name <name>:<version>',
      },
    );
  }
  // Every module is located before anything is sent, so a missing one fails the push before it starts.
  const planned = distinctModules(graph).map((operation) => ({
    operation,
    ref: moduleReference(registry, operation, graphFile),
    file: locateModule(operation, graphFile, options.moduleDirs),
  }));
  const modules = await mapLimit(planned, PARALLEL_MODULES, async ({ operation, ref, file }) => {
    options.onStart?.(`module ${operation.module} (${file})`);
    return { ...(await pushPlan(ref, await planFile(file, 'module', created), options.access)), file };
  });
  options.onStart?.(`graph ${graphRef.repository}:${graphRef.tag}`);
  const pushed = await pushPlan(graphRef, graphArtifact(basename(graphFile), bytes, created), options.access);
  return { graph: pushed, modules };
}

/** One operation per distinct module reference, in the order the graph names them. */
export function distinctModules(graph: Graph): Operation[] {
  const seen = new Map<string, Operation>();
  for (const op of graph.operations) if (op.module !== undefined && !seen.has(op.module)) seen.set(op.module, op);
  return [...seen.values()];
}

function moduleReference(registry: string, operation: Operation, graphFile: string): ArtifactReference {
  const ref = parseReference(`${registry}/${operation.module}`);
  const pos = operation.modulePos ?? operation.pos;
  const where = { file: graphFile, line: pos.line, column: pos.column };
  if (ref.digest !== undefined) {
    throw new AioError(
      'AIO_REGISTRY_MODULE_PINNED',
      `module ${operation.module} of operation ${operation.name} is pinned by digest, so a local build cannot be pushed under it`,
      {
        hint: 'reference the module by tag in the graph (e.g. thermostat:1.0.0), or push that exact artifact with `aio registry copy`',
        location: where,
      },
    );
  }
  if (ref.tag === undefined) {
    throw new AioError('AIO_REGISTRY_MODULE_UNTAGGED', `module ${operation.module} of operation ${operation.name} has no tag`, {
      hint: 'write it as <name>:<version>, e.g. thermostat:1.0.0',
      location: where,
    });
  }
  return ref;
}
