/**
 * When a piece of the Rust or Python toolchain is missing, aio build names the command that installs it. Each
 * missing piece is made real here (a PATH without the tool, a pinned channel nobody has, a sysroot without the
 * target); the real builds are in rust.test.ts and python.test.ts.
 */
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { findOnPath } from '../../src/build/run-tool.js';
import { COMPONENTIZE_PY_INSTALL } from '../../src/build/python-builder.js';
import { itWithTool } from '../helpers/needs-tool.js';
import type { BuildReport } from '../../src/build/build-workspace.js';

/** PATH with only Node on it: no cargo, no rustc, no componentize-py. */
const BARE_PATH = dirname(process.execPath);

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

  itWithTool(
    'with the toolchain rust-toolchain.toml pins missing: names rustup toolchain install',
    findOnPath('rustup') === undefined && 'rustup is not installed here',
    async () => {
      // A channel no machine has installed, so rustup's own "is not installed" answer is real.
      const pin = join(ws, 'operators', 'conv', 'rust-toolchain.toml');
      const original = await readFile(pin, 'utf8');
      await writeFile(pin, original.replace(/channel = "[^"]+"/, 'channel = "1.31"'));
      try {
        const error = await failure(ws, { RUSTUP_AUTO_INSTALL: '0' });
        assert.equal(error.code, 'AIO_BUILD_TOOLCHAIN_MISSING');
        assert.match(error.message, /the Rust toolchain 1\.31-.* that operators\/conv\/rust-toolchain\.toml pins/);
        assert.equal(error.hint, 'Install it: rustup toolchain install 1.31 --target wasm32-wasip2');
      } finally {
        await writeFile(pin, original);
      }
    },
  );

  itWithTool(
    'without the wasm32-wasip2 target: names rustup target add',
    findOnPath('cargo') === undefined && 'cargo is not installed here (rustup)',
    async () => {
      await rm(join(ws, 'operators', 'conv', 'rust-toolchain.toml')); // build with the installed toolchain
      // The real cargo and rustc, except that rustc's sysroot is one without the target (this machine may have it).
      const bin = await makeTempDir();
      const realRustc = findOnPath('rustc')!;
      await writeFile(join(bin, 'rustc'), `#!/bin/sh\nif [ "$1" = "--print" ] && [ "$2" = "sysroot" ]; then echo ${bin}; else exec ${realRustc} "$@"; fi\n`, {
        mode: 0o755,
      });
      const error = await failure(ws, { PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}` });
      assert.equal(error.code, 'AIO_BUILD_TOOLCHAIN_MISSING');
      assert.match(error.message, /the Rust target wasm32-wasip2/);
      assert.equal(error.hint, 'Install it: rustup target add wasm32-wasip2');
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
    assert.equal(error.hint, `Install it: ${COMPONENTIZE_PY_INSTALL}`);
  });
});
