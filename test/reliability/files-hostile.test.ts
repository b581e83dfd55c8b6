/**
 * #29.5, #30.6, #30.9: files that fight back. Each ends in a clear error or a correct run, within bounded time and
 * memory, never a stack trace or a hang: a YAML alias bomb, a FIFO, /dev/zero or a symbolic-link loop as the graph,
 * a data folder holding a FIFO or a broken link, a 50 MB input file, a JSON payload nested 100,000 levels, and a
 * data folder of 20,000 files.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { useSharedCache } from '../helpers/components.js';
import { looksLikeStackTrace, runMeasured, type MeasuredRun } from '../helpers/measured-cli.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, hostileWorkspace } from './hostile-workspace.js';

const MiB = 1024 * 1024;

function assertBounded(run: MeasuredRun, seconds: number, peakMiB: number): void {
  assert.ok(!looksLikeStackTrace(run.stderr + run.stdout), run.stderr);
  assert.ok(run.elapsedMs < seconds * 1000, `took ${run.elapsedMs} ms`);
  assert.ok(run.peakMiB < peakMiB, `peak memory ${Math.round(run.peakMiB)} MiB`);
}

function errorCode(run: MeasuredRun): string | undefined {
  return /(AIO_[A-Z_]+)/.exec(run.stderr + run.stdout)?.[1];
}

/** `aio emulate --data` over the workspace in `dir`; the summary's counts when it ran. */
async function emulateData(dir: string, killAfterMs = 60_000): Promise<MeasuredRun> {
  return runMeasured(['emulate', join(dir, 'graph.yaml'), '--data', join(dir, 'data'), '--modules', MODULES, '--json'], { cwd: dir, killAfterMs });
}

async function outputLines(dir: string): Promise<string[]> {
  const outputDir = join(dir, 'data', 'output');
  const [file] = (await readdir(outputDir)).filter((name) => name.endsWith('.txt'));
  return (await readFile(join(outputDir, file!), 'utf8')).trimEnd().split('\n');
}

describe('files that fight back', () => {
  before(() => useSharedCache());

  it('a graph that is a YAML alias bomb, a FIFO, /dev/zero or a symbolic-link loop: a clear error at once', async () => {
    await withTempDir(async (dir) => {
      const levels = 'abcdefghi'.split('');
      const bomb = levels.map((name, i) =>
        i === 0 ? `${name}: &${name} [lol, lol, lol, lol, lol, lol, lol, lol, lol]` : `${name}: &${name} [${`*${levels[i - 1]}, `.repeat(8)}*${levels[i - 1]}]`,
      );
      await writeFile(join(dir, 'bomb.yaml'), `${bomb.join('\n')}\n`);
      execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
      await symlink(join(dir, 'loop-b.yaml'), join(dir, 'loop-a.yaml'));
      await symlink(join(dir, 'loop-a.yaml'), join(dir, 'loop-b.yaml'));
      const cases: Array<[string, string, RegExp]> = [
        [join(dir, 'bomb.yaml'), 'AIO_YAML_ALIAS_LIMIT', /alias/i],
        [join(dir, 'fifo.yaml'), 'AIO_FILE_NOT_REGULAR', /named pipe \(FIFO\)/],
        ['/dev/zero', 'AIO_FILE_NOT_REGULAR', /a device/],
        [join(dir, 'loop-a.yaml'), 'AIO_FILE_NOT_FOUND', /symbolic links form a loop/],
      ];
      for (const [graph, code, message] of cases) {
        for (const command of [
          ['graph', 'validate', graph],
          ['emulate', graph, '--data', dir],
        ]) {
          const run = await runMeasured(command, { cwd: dir, killAfterMs: 30_000 });
          assert.equal(run.code, 3, `${command.join(' ')}: ${run.code} ${run.stderr}`);
          // emulate wraps the graph's findings in AIO_GRAPH_INVALID, each finding with its own code.
          assert.ok([code, 'AIO_GRAPH_INVALID'].includes(errorCode(run)!), run.stdout + run.stderr);
          assert.match(run.stdout + run.stderr, new RegExp(code));
          assert.match(run.stdout + run.stderr, message);
          assertBounded(run, 20, 400);
        }
      }
    });
  });

  it('a .env beside the graph that is a FIFO, and --data naming a file: clear errors at once', async () => {
    await withTempDir(async (dir) => {
      const graph = await hostileWorkspace(dir, ['one']);
      const notFolder = await runMeasured(['emulate', graph, '--data', join(dir, 'data', 'message1.txt')], { cwd: dir, killAfterMs: 30_000 });
      assert.equal(notFolder.code, 3, notFolder.stderr);
      assert.match(notFolder.stderr, /AIO_EMULATE_DATA_NOT_FOUND: data folder \S+message1\.txt is not a folder/);
      assertBounded(notFolder, 20, 400);
      execFileSync('mkfifo', [join(dir, '.env')]);
      const run = await runMeasured(['emulate', graph, '--data', join(dir, 'data'), '--modules', MODULES], { cwd: dir, killAfterMs: 30_000 });
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stdout + run.stderr, /AIO_FILE_NOT_REGULAR.*\.env is a named pipe \(FIFO\)/);
      assertBounded(run, 20, 400);
    });
  });

  it('a data folder holding a FIFO and a broken link: both named in AIO_EMULATE_DATA_NOT_REGULAR; a link to a file is read', async () => {
    await withTempDir(async (dir) => {
      await hostileWorkspace(dir, ['one']);
      await writeFile(join(dir, 'elsewhere.txt'), 'linked');
      await symlink(join(dir, 'elsewhere.txt'), join(dir, 'data', 'message2.txt'));
      const linked = await emulateData(dir);
      assert.equal(linked.code, 0, linked.stderr);
      assert.deepEqual(
        (await outputLines(dir)).map((line) => (JSON.parse(line) as { payload: string }).payload),
        ['one', 'linked'],
      );
      execFileSync('mkfifo', [join(dir, 'data', 'message3.txt')]);
      await symlink(join(dir, 'gone.txt'), join(dir, 'data', 'message4.txt'));
      const run = await emulateData(dir, 30_000);
      assert.equal(run.code, 3, run.stderr);
      assert.equal(errorCode(run), 'AIO_EMULATE_DATA_NOT_REGULAR');
      assert.match(run.stdout, /message3\.txt \(a named pipe \(FIFO\)\)/);
      assert.match(run.stdout, /message4\.txt \(a link that leads nowhere\)/);
      assertBounded(run, 20, 400);
    });
  });

  it('a 50 MB input file and a JSON payload nested 100,000 levels run through whole', async () => {
    await withTempDir(async (dir) => {
      await hostileWorkspace(dir, []);
      await writeFile(join(dir, 'data', 'big.bin'), Buffer.alloc(50 * MiB, 'a'));
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      await writeFile(join(dir, 'data', 'deep.json'), deep);
      const run = await emulateData(dir, 120_000);
      assert.equal(run.code, 0, run.stderr);
      const [big, nested] = (await outputLines(dir)).map((line) => JSON.parse(line) as { payloadlen: number; payload: unknown });
      assert.equal(big!.payloadlen, 50 * MiB);
      assert.equal((big!.payload as string).length, 50 * MiB);
      // Nested deeper than a JSON value can be re-serialised: written as its text, whole.
      assert.equal(nested!.payload, deep);
      assertBounded(run, 60, 1200);
    });
  });

  it('an input file larger than any MQTT message is refused by name before it is read', async () => {
    await withTempDir(async (dir) => {
      await hostileWorkspace(dir, ['one']);
      // Sparse: 300 MiB long, next to nothing on disk.
      await writeFile(join(dir, 'data', 'huge.bin'), '');
      await truncate(join(dir, 'data', 'huge.bin'), 300 * MiB);
      const run = await emulateData(dir, 60_000);
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stdout, /AIO_EMULATE_INPUT_TOO_LARGE/);
      assert.match(run.stdout, /huge\.bin is 300\.0 MiB/);
      assertBounded(run, 20, 400);
    });
  });

  it('a data folder of 20,000 files runs through, each file one message', async () => {
    await withTempDir(async (dir) => {
      await hostileWorkspace(
        dir,
        Array.from({ length: 20_000 }, (_, i) => `m${i}`),
      );
      const run = await emulateData(dir, 180_000);
      assert.equal(run.code, 0, run.stderr);
      assert.equal((JSON.parse(run.stdout) as { sinkMessages: number }).sinkMessages, 20_000);
      assert.equal((await outputLines(dir)).length, 20_000);
      assertBounded(run, 120, 600);
    });
  });
});
