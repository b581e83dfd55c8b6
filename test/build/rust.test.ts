/**
 * Rust for real, as far as these machines allow: the AIO SDK crate's registry is out of reach, so a test operator
 * written on wit-bindgen (crates.io, pinned) against aio's own wit/ goes through `aio build`'s real cargo path
 * (release and debug, the '-' → '_' output name, DWARF kept in debug and handed to a debugger under --inspect) and
 * runs in `aio emulate`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { buildJson, sinkPayloads } from '../helpers/workspace-run.js';
import { Cdp, until } from '../helpers/cdp.js';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { itWithTool } from '../helpers/needs-tool.js';
import { repoRoot } from '../helpers/paths.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { findOnPath } from '../../src/build/run-tool.js';
import { RUST_TARGET } from '../../src/build/rust-builder.js';
import { loadComponentFile } from '../../src/wasm/load-component.js';
import { WIT_DIR } from '../../src/package-files.js';

/** Why the real cargo build cannot run here, or undefined when it can. */
function rustMissing(): string | undefined {
  if (findOnPath('cargo') === undefined || findOnPath('rustc') === undefined) return 'Rust (cargo, rustc) is not installed (rustup)';
  const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
  if (!existsSync(join(sysroot, 'lib', 'rustlib', RUST_TARGET))) return `the ${RUST_TARGET} target is not installed (rustup target add ${RUST_TARGET})`;
  return undefined;
}
const missing = rustMissing();

/** One cargo target folder for every run: wit-bindgen and its dependencies compile once (minutes on 2 cores), not per run. */
const CARGO_TARGET_DIR = join(tmpdir(), `aio-test-cargo-target-${process.getuid?.() ?? 'user'}`);

type CustomSections = (module: WebAssembly.Module, name: string) => ArrayBuffer[];

describe(`Rust on wit-bindgen, built by aio build for ${RUST_TARGET}`, () => {
  let ws: string;
  let op: string;
  before(async () => {
    if (missing) return;
    useSharedCache();
    const parent = await makeTempDir();
    ws = join(parent, 'rs');
    const init = await runCli(['init', 'rs', '--lang', 'js', '--operator', 'rsupper', '--type', 'map'], { cwd: parent });
    assert.equal(init.code, 0, init.stderr);
    op = join(ws, 'operators', 'rsupper');
    await rm(op, { recursive: true });
    await cp(join(repoRoot, 'test', 'fixtures', 'rust', 'rs-upper'), op, { recursive: true });
    await cp(WIT_DIR, join(op, 'wit'), { recursive: true });
  });

  itWithTool('a debug build lands in bin/debug with DWARF that names the Rust source, and runs in aio emulate', missing, async () => {
    const report = await buildJson(ws, ['--debug'], { CARGO_TARGET_DIR });
    assert.equal(report.ok, true, JSON.stringify(report.operators.map((o) => o.error)));
    assert.deepEqual(
      report.operators.map((o) => [o.name, o.language, o.status, o.file, o.exports]),
      [['rsupper', 'rust', 'built', join('operators', 'rsupper', 'bin', 'debug', 'rsupper.wasm'), ['map']]],
    );
    // The cargo output the module was copied from: the crate name with '-' as '_'.
    assert.ok(existsSync(join(CARGO_TARGET_DIR, RUST_TARGET, 'debug', 'rs_upper.wasm')));
    // DWARF survives aio's loading (jco's transpile, the memory cap): what the debugger maps back to lib.rs.
    const loaded = await loadComponentFile(join(ws, report.operators[0]!.file));
    const customSections = (WebAssembly.Module as unknown as { customSections: CustomSections }).customSections;
    const modules = [...loaded.shareable.modules.values()];
    assert.ok(
      modules.some((m) => customSections(m, '.debug_info').length > 0),
      'a .debug_info section',
    );
    const names = modules.flatMap((m) => [...customSections(m, '.debug_str'), ...customSections(m, '.debug_line_str'), ...customSections(m, '.debug_line')]);
    assert.ok(
      names.some((s) => Buffer.from(s).includes('lib.rs')),
      'the DWARF names src/lib.rs',
    );

    const emulate = await runCli(['emulate', '--data', 'data'], { cwd: ws });
    assert.equal(emulate.code, 0, emulate.stderr);
    assert.match(emulate.stdout + emulate.stderr, /bin\/debug\/rsupper\.wasm/);
    assert.deepEqual(await sinkPayloads(join(ws, 'data')), [{ VALUE: 42, UNIT: 'C' }]);
    const log = await readFile(join(ws, 'data', 'output', 'logs', 'host-app.log'), 'utf8');
    assert.match(log, /INFO +\[module-rsupper\/map\] rs-upper: ready/);
    assert.match(log, /\[module-rsupper\/map\] rs-upper: mapped/);

    // Under --inspect, V8 hands the debugger the module with its DWARF: what VS Code maps back to src/lib.rs.
    const emulator = await startEmulator([join(ws, 'graph.dataflow.yaml'), '--port', '0', '--inspect', '127.0.0.1:0']);
    const url = /^inspect: (ws:\/\/\S+)/m.exec(emulator.stderr())?.[1];
    assert.ok(url, emulator.stderr());
    const cdp = await Cdp.connect(url);
    try {
      await cdp.attachToWorker(/graph-worker-thread\.js$/);
      await cdp.sendToWorker('Debugger.enable');
      const dwarf = await until(
        () =>
          cdp.workerEvents.find(
            (e) =>
              e.method === 'Debugger.scriptParsed' &&
              e.params!['scriptLanguage'] === 'WebAssembly' &&
              JSON.stringify(e.params!['debugSymbols'] ?? null).includes('EmbeddedDWARF'),
          ),
        'a WebAssembly script with embedded DWARF',
      );
      assert.match(dwarf.params!['url'] as string, /^wasm:\/\//);
    } finally {
      cdp.close();
      const stopped = await emulator.interrupt();
      assert.equal(stopped.code, 0, stopped.stderr);
    }
  });

  itWithTool('a release build lands in bin/release without DWARF, is up to date the second time, and runs', missing, async () => {
    const report = await buildJson(ws, [], { CARGO_TARGET_DIR });
    assert.deepEqual(
      report.operators.map((o) => [o.status, o.file]),
      [['built', join('operators', 'rsupper', 'bin', 'release', 'rsupper.wasm')]],
    );
    const release = await readFile(join(ws, report.operators[0]!.file));
    const debug = await readFile(join(op, 'bin', 'debug', 'rsupper.wasm'));
    assert.ok(!release.includes('.debug_info'), 'release strips debug info (the fixture says strip = "debuginfo")');
    assert.ok(release.length * 5 < debug.length, `release ${release.length} B vs debug ${debug.length} B`);
    assert.deepEqual(
      (await buildJson(ws, [], { CARGO_TARGET_DIR })).operators.map((o) => o.status),
      ['up-to-date'],
    );
    await rm(join(ws, 'data', 'output'), { recursive: true, force: true });
    const graph = join(ws, 'graph.dataflow.yaml');
    // The module's own parameter, from the graph's moduleConfigurations (the data file ends in a newline).
    await writeFile(
      graph,
      (await readFile(graph, 'utf8')).replace(/parameters:\n(\s+)scale:/, 'parameters:\n$1suffix:\n$1  name: suffix\n$1  default: " !"\n$1scale:'),
    );
    const emulate = await runCli(['emulate', '--data', 'data'], { cwd: ws });
    assert.equal(emulate.code, 0, emulate.stderr);
    assert.deepEqual(await sinkPayloads(join(ws, 'data')), ['{"VALUE":42,"UNIT":"C"}\n !']);
  });

  itWithTool('a Rust compile error comes back as file:line:column, relative to where aio runs', missing, async () => {
    const source = join(op, 'src', 'lib.rs');
    const original = await readFile(source, 'utf8');
    await writeFile(source, original.replace('let payload = read(&m.payload);', 'let payload = read(&m.payload)'));
    try {
      const result = await runCli(['build'], { cwd: ws, env: { CARGO_TARGET_DIR } });
      assert.equal(result.code, 3, result.stdout + result.stderr);
      assert.match(result.stderr, /AIO_BUILD_COMPILE_ERROR: rsupper: cargo build --target wasm32-wasip2/);
      assert.match(result.stderr, /operators\/rsupper\/src\/lib\.rs:\d+:\d+: error/);
      assert.ok(!looksLikeStackTrace(result.stderr), result.stderr);
    } finally {
      await writeFile(source, original);
    }
  });
});
