/**
 * #27.5, #30.9: the transpile cache under concurrent processes and damage. Two `aio emulate` runs on one cold cache
 * at once both succeed; an entry with a cut component.js, a cut core .wasm or no world.json is built again instead
 * of failing every later run with AIO_INTERNAL.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { looksLikeStackTrace, runMeasured, type MeasuredRun } from '../helpers/measured-cli.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, hostileWorkspace } from './hostile-workspace.js';

/** A JavaScript module: its transpile takes long enough for two processes to overlap in it. */
const MODULE = 'stdio-js';

async function emulate(dir: string, cache: string): Promise<MeasuredRun> {
  return runMeasured(['emulate', join(dir, 'graph.yaml'), '--data', join(dir, 'data'), '--modules', MODULES, '--json'], {
    cwd: dir,
    env: { AIO_CACHE_DIR: cache },
    killAfterMs: 120_000,
  });
}

function assertRan(run: MeasuredRun): void {
  assert.equal(run.code, 0, run.stderr);
  assert.ok(!looksLikeStackTrace(run.stderr), run.stderr);
  assert.equal((JSON.parse(run.stdout) as { sinkMessages: number }).sinkMessages, 1);
  assert.ok(run.elapsedMs < 90_000, `took ${run.elapsedMs} ms`);
  assert.ok(run.peakMiB < 600, `peak memory ${Math.round(run.peakMiB)} MiB`);
}

/** The one entry the cache holds (components/<format>/<sha256>). */
async function entryDir(cache: string): Promise<string> {
  const formats = await readdir(join(cache, 'components'));
  assert.equal(formats.length, 1);
  const entries = (await readdir(join(cache, 'components', formats[0]!))).filter((name) => !name.startsWith('.'));
  assert.equal(entries.length, 1, `one entry: ${entries.join(', ')}`);
  return join(cache, 'components', formats[0]!, entries[0]!);
}

describe('the transpile cache', () => {
  it('two aio emulate processes on one cold cache both succeed, and damaged entries are built again', async () => {
    await withTempDir(async (dir) => {
      await hostileWorkspace(dir, ['one'], MODULE);
      const cache = await mkdtemp(join(tmpdir(), 'aio-cold-cache-'));
      try {
        const both = await Promise.all([emulate(dir, cache), emulate(dir, cache)]);
        both.forEach(assertRan);
        const entry = await entryDir(cache);
        const wasm = (await readdir(entry)).find((name) => name.endsWith('.wasm'))!;
        const damages: Array<[string, () => Promise<void>]> = [
          ['a cut component.js', () => truncate(join(entry, 'component.js'), 1000)],
          [`a cut ${wasm}`, async () => truncate(join(entry, wasm), Math.floor((await stat(join(entry, wasm))).size / 2))],
          ['no world.json', () => rm(join(entry, 'world.json'))],
        ];
        for (const [what, damage] of damages) {
          const whole = await readFile(join(entry, 'component.js'), 'utf8');
          await damage();
          const run = await emulate(dir, cache);
          assert.doesNotMatch(run.stderr, /AIO_INTERNAL/, what);
          assertRan(run);
          assert.equal(await readFile(join(entry, 'component.js'), 'utf8'), whole, `${what}: the entry is whole again`);
          await stat(join(entry, 'world.json'));
        }
      } finally {
        await rm(cache, { recursive: true, force: true });
      }
    });
  });
});
