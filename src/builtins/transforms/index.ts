/**
 * The table of built-in transforms: which artifact is a built-in, and its compiler per name and version (spec
 * builtin-transforms.md §2.1). An artifact is a built-in when its repository is
 * `azureiotoperations/graph-dataflow-<one of the six>`, with or without a registry host (`mcr.microsoft.com/…`).
 */
import { BUILTIN_NAMES, BUILTIN_REPOSITORY_PREFIX, type BuiltinCompileResult, type BuiltinName, type ConfigurationEntry } from '../builtin-transform.js';
import { compileBranch } from './branch.js';
import { compileConcatenate } from './concatenate.js';
import { compileFilter } from './filter.js';
import { compileMap } from './map.js';
import { compileThrottle } from './throttle.js';
import { compileWindow } from './window.js';

type Compiler = (entries: readonly ConfigurationEntry[]) => BuiltinCompileResult;

/** name → tag → compiler: the versions that exist (window 1.1.0 added count, memory and triggers). */
const COMPILERS: Record<BuiltinName, Record<string, Compiler>> = {
  map: { '1.0.0': compileMap },
  filter: { '1.0.0': compileFilter },
  branch: { '1.0.0': compileBranch },
  concatenate: { '1.0.0': compileConcatenate },
  window: { '1.0.0': (entries) => compileWindow('1.0.0', entries), '1.1.0': (entries) => compileWindow('1.1.0', entries) },
  throttle: { '1.0.0': compileThrottle },
};

/** `[host/]azureiotoperations/graph-dataflow-<name>[:tag][@digest]` */
const ARTIFACT = new RegExp(`^(?:[^/]+/)?${BUILTIN_REPOSITORY_PREFIX.replace(/[.-]/g, '\\$&')}([^:@/]+)(?::([^@/]+))?(?:@[^/]+)?$`);

export interface BuiltinArtifact {
  name: string;
  tag: string | undefined;
}

/** The built-in name and tag of an artifact reference, or undefined when it is not in the built-in repository. */
export function parseBuiltinArtifact(artifact: string): BuiltinArtifact | undefined {
  const match = ARTIFACT.exec(artifact.trim());
  return match ? { name: match[1]!, tag: match[2] } : undefined;
}

/** Whether a Graph node's artifact runs natively (one of the six built-ins) rather than as a WASM graph. */
export function isBuiltinArtifact(artifact: string): boolean {
  const parsed = parseBuiltinArtifact(artifact);
  return parsed !== undefined && (BUILTIN_NAMES as readonly string[]).includes(parsed.name);
}

export function compileBuiltin(artifact: string, entries: readonly ConfigurationEntry[]): BuiltinCompileResult {
  const parsed = parseBuiltinArtifact(artifact);
  const name = parsed?.name as BuiltinName | undefined;
  if (parsed === undefined || name === undefined || !(BUILTIN_NAMES as readonly string[]).includes(name)) {
    const hint = `the built-ins are ${BUILTIN_NAMES.map((n) => `${BUILTIN_REPOSITORY_PREFIX}${n}`).join(', ')}`;
    return { findings: [finding('AIO_BUILTIN_UNKNOWN_ARTIFACT', `${artifact} is not a built-in transform`, hint)], builtin: undefined };
  }
  const versions = COMPILERS[name];
  const compile = parsed.tag === undefined ? undefined : versions[parsed.tag];
  if (compile === undefined) {
    const known = Object.keys(versions).join(', ');
    const what = parsed.tag === undefined ? `${artifact} has no version tag` : `${BUILTIN_REPOSITORY_PREFIX}${name} has no version ${parsed.tag}`;
    return {
      findings: [finding('AIO_BUILTIN_UNKNOWN_VERSION', what, `use ${BUILTIN_REPOSITORY_PREFIX}${name}:<version> with one of: ${known}`)],
      builtin: undefined,
    };
  }
  return compile(entries);
}

function finding(code: string, message: string, hint: string): BuiltinCompileResult['findings'][number] {
  return { severity: 'error', code, message, hint, key: undefined, offset: undefined };
}
