/**
 * Rust operators, as the AIO samples build them: `cargo build --target wasm32-wasip2 [--release]` against the
 * `wasm_graph_sdk` crate from the `aio-wg` registry. Each missing piece is named with the command that adds it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { OperatorManifest } from '../workspace/operator-manifest.js';
import { BuildFailure, toolchainMissing } from './build-failure.js';
import { findOnPath, runTool } from './run-tool.js';

export const RUST_TARGET = 'wasm32-wasip2';
/** The command that installs Rust itself (rustup's own installer). */
export const RUSTUP = "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y";
const RUSTUP_INSTALL = `${RUSTUP} && rustup target add ${RUST_TARGET}`;
export const AIO_WG_REGISTRY_BLOCK =
  '[registries]\naio-wg = { index = "sparse+https://pkgs.dev.azure.com/azure-iot-sdks/iot-operations/_packaging/preview/Cargo/index/" }';

/**
 * rustc's and cargo's versions as the operator's folder sees them (its rust-toolchain.toml may pin a channel);
 * throws when cargo, the pinned toolchain, the wasm32-wasip2 target or the SDK registry is missing, naming the
 * command that fixes it. The static check (the registry) comes first.
 */
export async function rustToolchain(op: OperatorManifest, root: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  await checkRegistry(op, root, env);
  if (findOnPath('cargo', env) === undefined || findOnPath('rustc', env) === undefined) throw toolchainMissing('Rust (cargo and rustc)', RUSTUP_INSTALL);
  const options = { cwd: op.dir, env };
  const [rustc, cargo, sysroot] = await Promise.all([
    runTool('rustc', ['--version'], options),
    runTool('cargo', ['--version'], options),
    runTool('rustc', ['--print', 'sysroot'], options),
  ]);
  const pinned = /toolchain '([^']+)' is not installed/.exec(`${rustc.stderr}${sysroot.stderr}`)?.[1];
  if (pinned !== undefined) {
    const channel = pinned.replace(/-(x86_64|aarch64)-.*$/, '');
    throw toolchainMissing(
      `the Rust toolchain ${pinned} that ${relative(process.cwd(), join(op.dir, 'rust-toolchain.toml'))} pins`,
      `rustup toolchain install ${channel} --target ${RUST_TARGET}`,
    );
  }
  if (rustc.code !== 0) throw toolchainMissing('a working Rust toolchain', `${RUSTUP_INSTALL} (rustc said: ${rustc.stderr.split('\n')[0]})`);
  if (!existsSync(join(sysroot.stdout.trim(), 'lib', 'rustlib', RUST_TARGET))) {
    throw toolchainMissing(`the Rust target ${RUST_TARGET} (AIO needs WASI Preview 2 components)`, `rustup target add ${RUST_TARGET}`);
  }
  return `${rustc.stdout.trim()} / ${cargo.stdout.trim()}`;
}

/** cargo would fail with "no matching package found for wasm_graph_sdk" without the aio-wg registry: say why first. */
async function checkRegistry(op: OperatorManifest, root: string, env: NodeJS.ProcessEnv): Promise<void> {
  const manifest = await readFile(join(op.dir, 'Cargo.toml'), 'utf8');
  if (!/registry\s*=\s*"aio-wg"/.test(manifest) || registryConfigured(op.dir, root, env)) return;
  throw new BuildFailure(
    'AIO_BUILD_RUST_REGISTRY_MISSING',
    `${op.name}: Cargo.toml takes wasm_graph_sdk from the "aio-wg" registry, which no .cargo/config.toml declares (cargo would say "no matching package found")`,
    [],
    `Add to ${relative(process.cwd(), join(root, '.cargo', 'config.toml')) || '.cargo/config.toml'}:\n${AIO_WG_REGISTRY_BLOCK}\n(or set CARGO_REGISTRIES_AIO_WG_INDEX)`,
  );
}

export async function buildRust(op: OperatorManifest, debug: boolean, env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array> {
  const manifest = await readFile(join(op.dir, 'Cargo.toml'), 'utf8');
  const args = ['build', '--target', RUST_TARGET, '--message-format', 'short', ...(debug ? [] : ['--release'])];
  const result = await runTool('cargo', args, { cwd: op.dir, env });
  if (result.code !== 0) {
    throw new BuildFailure('AIO_BUILD_COMPILE_ERROR', `${op.name}: cargo ${args.join(' ')} failed`, compilerLines(result.stderr, op.dir));
  }
  const crate = /^\s*name\s*=\s*"([^"]+)"/m.exec(manifest.slice(manifest.indexOf('[package]')))?.[1] ?? op.name;
  const targetDir = env['CARGO_TARGET_DIR'] ? resolve(op.dir, env['CARGO_TARGET_DIR']) : join(op.dir, 'target');
  const output = join(targetDir, RUST_TARGET, debug ? 'debug' : 'release', `${crate.replaceAll('-', '_')}.wasm`);
  if (!existsSync(output))
    throw new BuildFailure(
      'AIO_BUILD_OUTPUT_MISSING',
      `${op.name}: cargo succeeded but wrote no ${output}`,
      [],
      'Check that Cargo.toml has [lib] crate-type = ["cdylib"].',
    );
  return readFile(output);
}

/** The aio-wg registry declared in a .cargo/config.toml at or above the operator, or by environment variable. */
function registryConfigured(dir: string, root: string, env: NodeJS.ProcessEnv): boolean {
  if (env['CARGO_REGISTRIES_AIO_WG_INDEX']) return true;
  for (let current = resolve(dir); ; current = dirname(current)) {
    for (const name of ['config.toml', 'config']) {
      const file = join(current, '.cargo', name);
      if (existsSync(file) && /aio-wg\s*=/.test(readFileSync(file, 'utf8'))) return true;
    }
    if (current === resolve(root) || dirname(current) === current) return false;
  }
}

/** cargo's short messages (`src/lib.rs:3:5: error[E0425]: …`), with paths made relative to where aio runs. */
function compilerLines(stderr: string, dir: string): string[] {
  const lines = stderr
    .split('\n')
    .filter((line) => /^(error|warning)|^[^\s:]+:\d+:\d+: (error|warning)/.test(line) && !/^warning: .*generated \d+ warning/.test(line));
  return lines.map((line) => line.replace(/^([^\s:]+)(?=:\d+:\d+:)/, (path) => relative(process.cwd(), resolve(dir, path)))).slice(0, 50);
}
