/**
 * Builds the WebAssembly components the tests and examples run. Binaries are never committed.
 *   fixtures   hand-written WAT (wasm-tools in-process) and JavaScript written directly against the WIT (aio build's
 *              SpiderMonkey builder, with worlds of their own) into test/fixtures/components/build/; rebuilt only
 *              when the source, the WIT or this builder changes
 *   examples   every examples/<workspace> through `aio build` (its own up-to-date check)
 *
 *   node dist/scripts/build-components.js fixtures examples
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWorkspace } from '../src/build/build-workspace.js';
import { bundleOperator, componentizeBundle, componentizeWith } from '../src/build/js-builder.js';
import { JS_ENGINES, OPERATOR_KINDS, type JsEngine, type OperatorManifest } from '../src/workspace/operator-manifest.js';
import { resultLine } from '../src/cli/build-progress.js';
import { mapLimit } from '../src/util/map-limit.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixturesDir = join(root, 'test', 'fixtures', 'components');
const BUILDER_VERSION = '2';

interface Target {
  name: string;
  /** wat: hand-written WAT; js: JavaScript written directly against the WIT; sdk: TypeScript on the aio SDK. */
  kind: 'wat' | 'js' | 'sdk';
  /** The engine an `sdk` target is built with. */
  engine?: JsEngine;
  source: string;
  world: string;
  output: string;
  /** componentize-js WASI features to drop; all of them unless the component should import WASI. */
  disableFeatures?: string[];
  /** The test-only WIT files (in fixtures/wit) its world needs, when not the default pair. */
  witFiles?: string[];
}

const ALL_FEATURES = ['stdio', 'random', 'clocks', 'http', 'fetch-event'];

function fixtureTargets(): Target[] {
  const out = (name: string): string => join(fixturesDir, 'build', `${name}.wasm`);
  const wat = (name: string, world: string): Target => ({ name, kind: 'wat', source: join(fixturesDir, 'wat', `${name}.wat`), world, output: out(name) });
  return [
    { ...wat('conformance', 'conformance'), name: 'conformance-wat', output: out('conformance-wat') },
    wat('sandbox-probe', 'sandbox-probe'),
    wat('needs-inference', 'needs-inference'),
    wat('needs-keyvalue', 'needs-keyvalue'),
    wat('filter-only', 'filter-impl'),
    wat('misbehaving', 'misbehaving'),
    { ...wat('stdio-probe', 'stdio-probe'), witFiles: ['stdio-probe.wit'] },
    {
      name: 'conformance-js',
      kind: 'js',
      source: join(fixturesDir, 'js', 'conformance.js'),
      world: 'conformance',
      output: out('conformance-js'),
      disableFeatures: ALL_FEATURES,
    },
    {
      name: 'host-services-js',
      kind: 'js',
      source: join(fixturesDir, 'js', 'host-services.js'),
      world: 'host-services',
      output: out('host-services-js'),
      disableFeatures: ALL_FEATURES,
    },
    ...JS_ENGINES.map(
      (engine): Target => ({
        name: `conformance-sdk-${engine}`,
        kind: 'sdk',
        engine,
        source: join(fixturesDir, 'sdk', 'conformance.ts'),
        world: 'aio-operator',
        output: out(`conformance-sdk-${engine}`),
      }),
    ),
    {
      name: 'inference-js',
      kind: 'js',
      source: join(fixturesDir, 'js', 'inference.js'),
      world: 'inference',
      output: out('inference-js'),
      disableFeatures: ALL_FEATURES,
    },
    {
      name: 'stdio-js',
      kind: 'js',
      source: join(fixturesDir, 'js', 'stdio.js'),
      world: 'map-impl',
      output: out('stdio-js'),
      disableFeatures: ['http', 'fetch-event'],
    },
  ];
}

const DEFAULT_WIT_FILES = ['conformance-world.wit', 'wasi-probe.wit'];

/** The project's WIT package plus the test-only worlds and WASI slices, as one source text. */
async function witSource(extraFiles = DEFAULT_WIT_FILES): Promise<string> {
  const witDir = join(root, 'wit');
  const files = (await readdir(witDir)).filter((f) => f.endsWith('.wit')).sort();
  const bodies = await Promise.all(files.map(async (f) => (await readFile(join(witDir, f), 'utf8')).replace(/^package [^;]+;$/m, '')));
  const extras = await Promise.all(extraFiles.map((f) => readFile(join(fixturesDir, 'wit', f), 'utf8')));
  return ['package wasm-graph:processor@1.1.0;', ...bodies, ...extras].join('\n');
}

async function build(target: Target, wit: string): Promise<'built' | 'cached'> {
  // An SDK target is hashed as bundled, so a change to the SDK rebuilds it too.
  const bundle = target.kind === 'sdk' ? await bundleOperator(sdkManifest(target), target.engine!, { debug: false }) : undefined;
  const source = bundle?.code ?? (await readFile(target.source, 'utf8'));
  const hash = createHash('sha256').update(BUILDER_VERSION).update(wit).update(source).update(JSON.stringify(target)).digest('hex');
  const stamp = `${target.output}.sha256`;
  if (existsSync(target.output) && existsSync(stamp) && (await readFile(stamp, 'utf8')) === hash) return 'cached';
  await mkdir(dirname(target.output), { recursive: true });
  const bytes =
    target.kind === 'wat'
      ? await buildWat(source, wit, target.world)
      : bundle
        ? await componentizeBundle(bundle.code, OPERATOR_KINDS, target.engine!, target.source)
        : await buildJs(target, wit);
  await writeFile(target.output, bytes);
  await writeFile(stamp, hash);
  return 'built';
}

/** The conformance fixture as aio build sees an operator folder. */
function sdkManifest(target: Target): OperatorManifest {
  return {
    name: 'conformance',
    dir: dirname(target.source),
    language: 'typescript',
    kinds: [...OPERATOR_KINDS],
    entry: basename(target.source),
    jsEngine: target.engine,
  };
}

async function buildWat(source: string, wit: string, world: string): Promise<Uint8Array> {
  const { parse, componentEmbed, componentNew } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  const core = await parse(source);
  return componentNew(await componentEmbed({ binary: core, witSource: wit, world }));
}

async function buildJs(target: Target, wit: string): Promise<Uint8Array> {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const witDir = await mkdtemp(join(tmpdir(), 'aio-wit-'));
  try {
    await writeFile(join(witDir, 'all.wit'), wit);
    const code = await readFile(target.source, 'utf8');
    return await componentizeWith('spidermonkey', {
      code,
      witDir,
      world: target.world,
      sourceName: target.source,
      disableFeatures: target.disableFeatures ?? [],
    });
  } finally {
    await rm(witDir, { recursive: true, force: true });
  }
}

/** Each example workspace through aio build, as a user would build it. */
async function buildExamples(): Promise<boolean> {
  const examples = join(root, 'examples');
  let ok = true;
  for (const workspace of (await readdir(examples)).sort()) {
    if (!existsSync(join(examples, workspace, 'operators'))) continue;
    const report = await buildWorkspace({ root: join(examples, workspace), mode: 'release', concurrency: 1 });
    for (const op of report.operators) {
      process.stderr.write(`${resultLine(op, false)}\n`);
      if (op.error) process.stderr.write(`  ${op.error.code}: ${op.error.message}\n${op.error.diagnostics.map((d) => `  ${d}\n`).join('')}`);
    }
    ok &&= report.ok;
  }
  return ok;
}

async function main(): Promise<void> {
  const which = process.argv.slice(2);
  const targets = which.length === 0 || which.includes('fixtures') ? fixtureTargets() : [];
  const wit = await witSource();
  // Two at a time: the builders spend much of their time outside the main thread (processes, native threads).
  await mapLimit(targets, 2, async (target) => {
    const started = Date.now();
    const result = await build(target, target.witFiles ? await witSource(target.witFiles) : wit);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      `${result === 'built' ? 'built ' : 'cached'} ${target.name} → ${relative(root, target.output)}${result === 'built' ? ` (${seconds} s)` : ''}\n`,
    );
  });
  if ((which.length === 0 || which.includes('examples')) && !(await buildExamples())) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`component build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
