/**
 * What a component imports and exports, and whether this host can run it. Read from the component's embedded
 * type information (wasm-tools' `component wit`), without transpiling or running it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AioError, errorMessage } from '../errors.js';
import {
  HOST_INTERFACES,
  LEGACY_WIT_PACKAGE,
  OPERATOR_INTERFACES,
  WASI_INTERFACES,
  WIT_PACKAGE,
  WIT_VERSION,
  parseInterfaceRef,
  type InterfaceRef,
  type OperatorInterface,
} from './wit-names.js';

export interface ComponentWorld {
  sha256: string;
  size: number;
  imports: InterfaceRef[];
  exports: InterfaceRef[];
  /** Operator interfaces of `wasm-graph:processor@1.1.0` the component exports. */
  operators: OperatorInterface[];
  /** Imports the host does not provide; non-empty means the component cannot run here. */
  unsupportedImports: InterfaceRef[];
  /** Why the component cannot run here; empty when it can. */
  problems: string[];
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Whether the interface is ONNX inference (`wasi:nn`), which aio runs on onnxruntime-node on a thread of its own. */
export function isInference(ref: InterfaceRef): boolean {
  return ref.package === 'wasi:nn';
}

/** Whether the component imports inference (isInference). */
export function importsInference(world: ComponentWorld): boolean {
  return world.imports.some(isInference);
}

/** `core` for a plain wasm module, `component` for a component, undefined when not WebAssembly at all. */
export function wasmKind(bytes: Uint8Array): 'core' | 'component' | undefined {
  if (bytes.length < 8 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) return undefined;
  // Byte 6-7 is the layer: 0 for core modules, 1 for components.
  return bytes[6] === 1 && bytes[7] === 0 ? 'component' : 'core';
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws AIO_MODULE_NOT_WASM / AIO_MODULE_CORE_WASM for bytes that are not a component. */
export function assertComponent(bytes: Uint8Array, source: string): void {
  const kind = wasmKind(bytes);
  if (kind === undefined) {
    throw new AioError('AIO_MODULE_NOT_WASM', `${source} is not a WebAssembly file`, {
      hint: 'Point at the .wasm your operator build produced (operators/<name>/bin/release/<name>.wasm).',
    });
  }
  if (kind === 'core') {
    throw new AioError('AIO_MODULE_CORE_WASM', `${source} is a core WebAssembly module, not a component`, {
      hint: 'Build operators as components: Rust with --target wasm32-wasip2, Python with componentize-py, JavaScript with componentize-js.',
    });
  }
}

/** A module's bytes; AIO_MODULE_NOT_FOUND when the file cannot be read. */
export async function readModuleFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new AioError('AIO_MODULE_NOT_FOUND', `cannot read module ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: 'Check the path; build the operator first if it has no bin/ folder yet.',
      cause: error,
    });
  }
}

export async function inspectComponent(bytes: Uint8Array, source: string): Promise<ComponentWorld> {
  assertComponent(bytes, source);
  // Loaded on first use: a run whose modules are all in the transpile cache never inspects one.
  const { componentWit } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  let wit: string;
  try {
    wit = await componentWit(bytes);
  } catch (error) {
    throw new AioError('AIO_MODULE_INVALID', `${source} is not a valid WebAssembly component: ${errorMessage(error)}`, {
      hint: 'Rebuild the module; the file may be truncated or corrupted.',
      cause: error,
    });
  }
  const { imports, exports } = parseWorld(wit);
  const operators = OPERATOR_INTERFACES.filter((op) =>
    exports.some((ref) => ref.package === WIT_PACKAGE && ref.interface === op && ref.version === WIT_VERSION),
  );
  const unsupportedImports = imports.filter((ref) => !isProvided(ref));
  const problems = [
    ...unsupportedImports.map((ref) => `imports ${ref.version ? `${ref.name}@${ref.version}` : ref.name}, which this host does not provide`),
    ...legacyProblems(exports),
  ];
  if (operators.length === 0 && problems.length === 0) {
    problems.push(`exports no operator interface of ${WIT_PACKAGE}@${WIT_VERSION} (map, filter, branch, accumulate or delay)`);
  }
  return { sha256: sha256Hex(bytes), size: bytes.length, imports, exports, operators, unsupportedImports, problems };
}

/** Reads the top-level `import x;` and `export x;` lines of `component wit` output. */
export function parseWorld(wit: string): { imports: InterfaceRef[]; exports: InterfaceRef[] } {
  const imports: InterfaceRef[] = [];
  const exports: InterfaceRef[] = [];
  for (const line of wit.split('\n')) {
    const match = /^\s*(import|export)\s+([^;:{]+(?::[^;:{\s]+)?)\s*;\s*$/.exec(line);
    if (!match) continue;
    const ref = parseInterfaceRef(match[2]!);
    if (!ref) continue;
    (match[1] === 'import' ? imports : exports).push(ref);
  }
  return { imports, exports };
}

function isProvided(ref: InterfaceRef): boolean {
  if (ref.package === WIT_PACKAGE) {
    return ref.version === WIT_VERSION && (HOST_INTERFACES as readonly string[]).includes(ref.interface);
  }
  // ONNX inference on onnxruntime-node (inference/wasi-nn-imports.ts).
  if (isInference(ref)) return true;
  // WASI 0.2.x is backwards compatible within the minor version.
  return (WASI_INTERFACES as readonly string[]).includes(ref.name) && (ref.version === undefined || ref.version.startsWith('0.2.'));
}

function legacyProblems(exports: InterfaceRef[]): string[] {
  if (!exports.some((ref) => ref.package === LEGACY_WIT_PACKAGE)) return [];
  return [`is built against ${LEGACY_WIT_PACKAGE}@1.0.0 (the 2025 preview); rebuild it against ${WIT_PACKAGE}@${WIT_VERSION}`];
}
