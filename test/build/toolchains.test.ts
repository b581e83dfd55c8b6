/**
 * Rust and Python builds run the real toolchain when it is installed; when a piece is missing, aio build names
 * the command that installs it. These machines have Rust without the wasm32-wasip2 target and no componentize-py,
 * so the real builds below say why they are skipped; the missing-toolchain paths are real.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { findOnPath } from '../../src/build/run-tool.js';
import type { BuildReport } from '../../src/build/build-workspace.js';

/** PATH with only Node on it: no cargo, no rustc, no componentize-py. */
const BARE_PATH = dirname(process.execPath);

function wasip2Installed(): boolean {
  if (findOnPath('rustc') === undefined) return false;
  const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
  return existsSync(join(sysroot, 'lib', 'rustlib', 'wasm32-wasip2'));
}

async function failure(ws: string, env?: NodeJS.ProcessEnv): Promise<NonNullable<BuildReport['operators'][number]['error']>> {
  const result = await runCli(['build', '--json'], { cwd: ws, ...(env ? { env } : {}) });
  assert.equal(result.code, 3, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout) as BuildReport;
  assert.equal(report.operators[0]!.status, 'failed');
  return report.operators[0]!.error!;
}

describe('Rust toolchain', () => {
  let ws: string;
  before(async () => {
    const parent = await makeTempDir();
    ws = join(parent, 'rs');
    assert.equal((await runCli(['init', 'rs', '--lang', 'rust', '--operator', 'conv', '--type', 'map'], { cwd: parent })).code, 0);
  });

  it('without cargo: names the rustup install and the target', async () => {
    const error = await failure(ws, { PATH: BARE_PATH });
    assert.equal(error.code, 'AIO_BUILD_TOOLCHAIN_MISSING');
    assert.match(error.message, /Rust \(cargo and rustc\) is not installed/);
    assert.match(error.hint!, /sh\.rustup\.rs .*rustup target add wasm32-wasip2/);
  });

  it('without the aio-wg registry block: names the block to add, before cargo would fail obscurely', async () => {
    const config = join(ws, '.cargo', 'config.toml');
    const { readFile, writeFile } = await import('node:fs/promises');
    const text = await readFile(config, 'utf8');
    await rm(config);
    try {
      const error = await failure(ws, { CARGO_REGISTRIES_AIO_WG_INDEX: '' });
      assert.equal(error.code, 'AIO_BUILD_RUST_REGISTRY_MISSING');
      assert.match(error.message, /no matching package found/);
      assert.match(error.hint!, /\[registries\]\naio-wg = \{ index = "sparse\+https:/);
    } finally {
      await writeFile(config, text);
    }
  });

  it(
    'with the toolchain rust-toolchain.toml pins missing: names rustup toolchain install',
    { skip: findOnPath('rustup') === undefined && 'rustup is not installed here' },
    async () => {
      const installed = execFileSync('rustup', ['toolchain', 'list'], { encoding: 'utf8' });
      if (/^1\.87/m.test(installed)) return; // the pinned toolchain is here: nothing missing to report
      const error = await failure(ws);
      assert.equal(error.code, 'AIO_BUILD_TOOLCHAIN_MISSING');
      assert.match(error.message, /the Rust toolchain 1\.87-.* that operators\/conv\/rust-toolchain\.toml pins/);
      assert.equal(error.hint, 'Install it: rustup toolchain install 1.87 --target wasm32-wasip2');
    },
  );

  it(
    'without the wasm32-wasip2 target: names rustup target add',
    { skip: (findOnPath('cargo') === undefined && 'cargo is not installed here') || (wasip2Installed() && 'the wasm32-wasip2 target is installed here') },
    async () => {
      await rm(join(ws, 'operators', 'conv', 'rust-toolchain.toml')); // build with the installed toolchain
      const error = await failure(ws);
      assert.equal(error.code, 'AIO_BUILD_TOOLCHAIN_MISSING');
      assert.match(error.message, /the Rust target wasm32-wasip2/);
      assert.equal(error.hint, 'Install it: rustup target add wasm32-wasip2');
    },
  );

  it(
    'builds with the real cargo into bin/release',
    {
      skip:
        !wasip2Installed() &&
        'the wasm32-wasip2 target is not installed (rustup target add wasm32-wasip2), and wasm_graph_sdk comes from a registry these machines cannot reach',
    },
    async () => {
      const result = await runCli(['build', '--json'], { cwd: ws });
      assert.equal(result.code, 0, result.stdout);
      assert.ok(existsSync(join(ws, 'operators', 'conv', 'bin', 'release', 'conv.wasm')));
    },
  );
});

describe('Python toolchain', () => {
  let ws: string;
  before(async () => {
    const parent = await makeTempDir();
    ws = join(parent, 'py');
    assert.equal((await runCli(['init', 'py', '--lang', 'python', '--operator', 'conv', '--type', 'map'], { cwd: parent })).code, 0);
  });

  it('without componentize-py: names the pip install the AIO samples pin', async () => {
    const error = await failure(ws, { PATH: BARE_PATH });
    assert.equal(error.code, 'AIO_BUILD_TOOLCHAIN_MISSING');
    assert.equal(error.message, 'componentize-py is not installed');
    assert.equal(error.hint, 'Install it: pip install componentize-py==0.14');
  });

  it(
    'builds with the real componentize-py into bin/release',
    {
      skip:
        findOnPath('componentize-py') === undefined &&
        'componentize-py is not installed (pip install componentize-py==0.14; PyPI is not reachable from these machines)',
    },
    async () => {
      const result = await runCli(['build', '--json'], { cwd: ws });
      assert.equal(result.code, 0, result.stdout);
      assert.ok(existsSync(join(ws, 'operators', 'conv', 'bin', 'release', 'conv.wasm')));
    },
  );
});
