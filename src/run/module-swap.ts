/**
 * Swapping a rebuilt (or re-pulled) module into a running graph: the new file is loaded while the graph goes on
 * (transpiling and compiling take the time), then every operation running the old file is started anew on it
 * between two items (`PreparedRun.replace`). The state store and open windows live on the engine's side and stay.
 */
import { resolve } from 'node:path';
import { loadComponentFile } from '../wasm/load-component.js';
import type { PreparedRun } from './instantiate-run.js';

export interface ModuleSwapped {
  /** The module file, as the run resolved it. */
  path: string;
  operations: string[];
  oldSha256: string;
  newSha256: string;
  /** How long the graph stood still: starting the new instances (init). */
  pauseMs: number;
}

/** `into <operations>: sha256 <old> → <new> (graph paused N ms)`, as the log names a swap. */
export function describeSwap(swapped: ModuleSwapped): string {
  return `into ${swapped.operations.join(', ')}: sha256 ${swapped.oldSha256} → ${swapped.newSha256} (graph paused ${swapped.pauseMs.toFixed(1)} ms)`;
}

/**
 * Swaps the module at `path` into `operations` (by default: those running that very file, as after a rebuild);
 * undefined when no operation runs it, or its bytes did not change.
 */
export async function swapModuleFile(prepared: PreparedRun, path: string, into?: readonly string[]): Promise<ModuleSwapped | undefined> {
  const wanted = resolve(path);
  const operations = into
    ? into.filter((operation) => prepared.hosted.has(operation))
    : [...prepared.hosted].filter(([, hosted]) => resolve(hosted.path) === wanted).map(([operation]) => operation);
  if (operations.length === 0) return undefined;
  const oldSha256 = prepared.hosted.get(operations[0]!)!.sha256;
  const component = await loadComponentFile(path, prepared.limits.memoryLimitMiB);
  if (component.sha256 === oldSha256) return undefined;
  const started = performance.now();
  prepared.replace(operations.map((operation) => ({ operation, component, path })));
  return { path, operations, oldSha256, newSha256: component.sha256, pauseMs: performance.now() - started };
}

/** New parameters for operations, as a changed graph file (or aio.yaml) gives them. */
export interface Reconfiguration {
  operation: string;
  properties: Array<[string, string]>;
}

/** Starts the operations anew with their new parameters (`init` again) on the modules they run. */
export async function reconfigure(prepared: PreparedRun, changes: readonly Reconfiguration[]): Promise<string[]> {
  const replacements = [];
  for (const change of changes) {
    const hosted = prepared.hosted.get(change.operation);
    if (!hosted) continue;
    const component = await loadComponentFile(hosted.path, prepared.limits.memoryLimitMiB);
    replacements.push({ operation: change.operation, component, path: hosted.path, configuration: { ...hosted.configuration, properties: change.properties } });
  }
  prepared.replace(replacements);
  return replacements.map((r) => r.operation);
}
