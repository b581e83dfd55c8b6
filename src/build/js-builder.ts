/**
 * JavaScript and TypeScript operators: esbuild bundles the operator with the SDK, npm packages it imports and the
 * binding for the chosen engine into one ES module; componentize-qjs (QuickJS) or componentize-js (SpiderMonkey)
 * turns it into a component, offline. esbuild strips TypeScript types without checking them (run `tsc --noEmit`
 * for that); syntax and import errors come back with file:line:column.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { SDK_DIR } from '../package-files.js';
import type { JsEngine, OperatorKind, OperatorManifest } from '../workspace/operator-manifest.js';
import { BuildFailure } from './build-failure.js';
import { apiMissing, quickJsMissingApis, undefinedSpiderMonkeyApi } from './engine-apis.js';
import { OPERATOR_WORLD, operatorWorld, witFolderWith } from './wit-world.js';

/** The engine used when neither the operator nor the command line names one (chosen from the README's figures). */
export const DEFAULT_JS_ENGINE: JsEngine = 'quickjs';

/** Builder versions, part of every JavaScript operator's fingerprint. */
export const JS_TOOLCHAIN = { quickjs: 'componentize-qjs@0.4.5', spidermonkey: 'componentize-js@0.23.0', bundler: 'esbuild@0.28.2' } as const;

/** The import specifiers operator code uses for the SDK, mapped to the compiled SDK inside this package. */
const SDK_MODULES: Record<string, string> = {
  'aio-graph-cli/sdk': join(SDK_DIR, 'index.js'),
  'aio-graph-cli/sdk/testing': join(SDK_DIR, 'testing.js'),
};

export interface BundleResult {
  code: string;
  /** Every file the bundle read (absolute). */
  inputs: string[];
}

/**
 * Bundles an operator: a generated entry imports the operator's module and exports, per kind, the SDK binding of
 * its operator (objects written directly against the WIT pass through unchanged).
 */
export async function bundleOperator(op: OperatorManifest, engine: JsEngine, options: { debug: boolean }): Promise<BundleResult> {
  const { build } = await import('esbuild');
  const entry = resolve(op.dir, op.entry!);
  const kinds = op.kinds;
  const contents = [
    // QuickJS lacks TextEncoder, TextDecoder and console: installed before the operator's module runs.
    ...(engine === 'quickjs' ? [`import 'aio-graph-cli/sdk/engines/quickjs-globals';`] : []),
    `import * as operator from ${JSON.stringify(entry)};`,
    `import { componentExports } from 'aio-graph-cli/sdk/engines/${engine}';`,
    `const bound = componentExports(operator, ${JSON.stringify(kinds)}, ${JSON.stringify(op.name)});`,
    ...kinds.map((kind) => `export const ${kind} = bound.${kind};`),
  ].join('\n');
  const result = await build({
    stdin: { contents, resolveDir: op.dir, sourcefile: 'aio-operator-entry.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    minify: false,
    keepNames: options.debug,
    external: ['wasm-graph:*', 'wasi:*'],
    plugins: [sdkResolver()],
  }).catch((error: { errors?: EsbuildMessage[] }) => {
    throw new BuildFailure('AIO_BUILD_COMPILE_ERROR', `${op.name}: the ${op.language} sources do not compile`, (error.errors ?? []).map(formatEsbuildMessage));
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.startsWith('<') && !input.includes('aio-operator-entry'))
    .map((input) => resolve(process.cwd(), input));
  return { code: result.outputFiles[0]!.text, inputs };
}

export interface EsbuildMessage {
  text: string;
  location?: { file: string; line: number; column: number; lineText?: string } | null;
}

/** One esbuild error as `file:line:column: error: text`, the path relative to where aio runs. */
export function formatEsbuildMessage(message: EsbuildMessage): string {
  const where = message.location
    ? `${relativeToCwd(resolve(process.cwd(), message.location.file))}:${message.location.line}:${message.location.column + 1}: `
    : '';
  return `${where}error: ${message.text}`;
}

function relativeToCwd(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/** Resolves `aio-graph-cli/sdk…` to this aio's own SDK, so a workspace needs no node_modules to use it. */
export function sdkResolver(): Plugin {
  return {
    name: 'aio-sdk',
    setup(build) {
      build.onResolve({ filter: /^aio-graph-cli\/sdk(\/.*)?$/ }, (args) => {
        const engine = /^aio-graph-cli\/sdk\/engines\/(quickjs|quickjs-globals|spidermonkey)$/.exec(args.path);
        const path = engine ? join(SDK_DIR, 'engines', `${engine[1]}.js`) : SDK_MODULES[args.path];
        if (path === undefined) return { errors: [{ text: `${args.path} is not part of the aio SDK (use aio-graph-cli/sdk or aio-graph-cli/sdk/testing)` }] };
        return { path };
      });
    },
  };
}

/** A bundled module → component bytes, with the engine's builder. */
export async function componentizeBundle(bundle: string, kinds: readonly OperatorKind[], engine: JsEngine, sourceName: string): Promise<Uint8Array> {
  if (engine === 'quickjs') {
    const missing = quickJsMissingApis(bundle);
    if (missing.length > 0) throw apiMissing(missing, sourceName);
  }
  const wit = await witFolderWith(operatorWorld(kinds));
  try {
    return await componentizeWith(engine, { code: bundle, witDir: wit.dir, world: OPERATOR_WORLD, sourceName });
  } catch (error) {
    // QuickJS runs the module's top level at build time: an API it lacks fails there, by name.
    const api = engine === 'quickjs' ? undefinedSpiderMonkeyApi(error instanceof Error ? error.message : String(error)) : undefined;
    if (api !== undefined) throw apiMissing([api], sourceName, 'at its top level, ');
    throw new BuildFailure(
      'AIO_BUILD_COMPONENTIZE_FAILED',
      `${sourceName}: ${engine === 'quickjs' ? 'componentize-qjs' : 'componentize-js'} could not build the component`,
      componentizeDiagnostics(error),
    );
  } finally {
    await wit.dispose();
  }
}

export interface ComponentizeInput {
  code: string;
  witDir: string;
  world: string;
  /** For messages: where the code came from. */
  sourceName: string;
  /** componentize-js only: WASI features to leave out (default: http and fetch-event). */
  disableFeatures?: string[];
}

/** Runs one engine's builder on a single ES module (already bundled; its only imports are WIT interfaces). */
export async function componentizeWith(engine: JsEngine, input: ComponentizeInput): Promise<Uint8Array> {
  if (engine === 'quickjs') {
    const { componentize } = await import('componentize-qjs');
    // WASI is left in (not stubbed) so Date.now, Math.random and error reports on stderr work; aio's host and the
    // cluster's provide it.
    const { component } = await componentize({ witPath: input.witDir, jsSource: input.code, world: input.world, sync: true });
    return new Uint8Array(component);
  }
  const { componentize } = await import('@bytecodealliance/componentize-js');
  const dir = await mkdtemp(join(tmpdir(), 'aio-js-'));
  try {
    const sourcePath = join(dir, 'operator.js');
    await writeFile(sourcePath, input.code);
    const { component } = await componentize({
      sourcePath,
      witPath: input.witDir,
      worldName: input.world,
      disableFeatures: (input.disableFeatures ?? ['http', 'fetch-event']) as Array<'stdio' | 'random' | 'clocks' | 'http' | 'fetch-event'>,
    });
    return component;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The builder's error as lines: QuickJS reports evaluation errors with the bundle's line. */
function componentizeDiagnostics(error: unknown): string[] {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
}
