/**
 * Every command's `--json` error: one object on stdout, `{"error": {code, message, hint, exit}}`, with the exit
 * status the catalog gives the code, nothing on stdout but that object, and no stack trace. Snapshotted per command
 * (test/snapshots/json-errors.json) so wording and exit statuses change only on purpose.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { matchSnapshot } from '../helpers/snapshot.js';
import { withTempDir } from '../helpers/temp-dir.js';

/** One failing invocation per command, runnable anywhere without a network. */
const CASES: Record<string, string[]> = {
  build: ['build'],
  'deploy graph': ['deploy', 'graph', '--project', 'missing.yaml', '--env', 'prod'],
  emulate: ['emulate', 'missing.yaml', '--data', 'data'],
  'env list': ['env', 'list', '--project', 'missing.yaml'],
  'env schema': ['env', 'schema', '--bogus'],
  'env show': ['env', 'show', 'prod', '--project', 'missing.yaml'],
  'graph schema': ['graph', 'schema', '--bogus'],
  'graph show': ['graph', 'show', 'missing.yaml'],
  'graph validate': ['graph', 'validate', '.'],
  init: ['init', 'ws', '--lang', 'ts', '--operator', 'My-Op', '--type', 'map'],
  'module inspect': ['module', 'inspect', 'missing.wasm'],
  'operator new': ['operator', 'new', 'conv', '--type', 'map'],
  'operator test': ['operator', 'test'],
  promote: ['promote', '--from', 'staging', '--to', 'prod', '--project', 'missing.yaml', '--yes'],
  provision: ['provision', '--project', 'missing.yaml', '--env', 'prod'],
  record: ['record', '--broker', 'http://127.0.0.1:1', '--topic', 'sensors/#', '--count', '1', '--out', 'recorded'],
  render: ['render', '--project', 'missing.yaml', '--env', 'prod'],
  'registry copy': ['registry', 'copy', 'not a host/x:1', '127.0.0.1:1/y:1'],
  'registry login': ['registry', 'login', 'not a host'],
  'registry pull': ['registry', 'pull', 'not a host/x:1'],
  'registry push': ['registry', 'push', '127.0.0.1:1/x:1', 'missing.wasm'],
  'registry tags': ['registry', 'tags', 'not a host/x'],
  test: ['test', '.'],
  'test schema': ['test', 'schema', '--bogus'],
  trace: ['trace', 'missing.jsonl'],
};

async function commandIds(dir = join(repoRoot, 'src', 'commands')): Promise<string[]> {
  const ids: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) ids.push(...(await commandIds(join(dir, entry.name))));
    else if (entry.name.endsWith('.ts'))
      ids.push(
        relative(join(repoRoot, 'src', 'commands'), join(dir, entry.name))
          .replace(/\.ts$/, '')
          .replaceAll('/', ' '),
      );
  }
  return ids.sort();
}

describe('--json errors of every command', () => {
  it('has a case for every command', async () => {
    assert.deepEqual(await commandIds(), Object.keys(CASES).sort());
  });

  it('prints one error object with the catalog’s exit status, the same as the snapshot', async () => {
    await withTempDir(async (dir) => {
      const seen: Record<string, unknown> = {};
      for (const [id, args] of Object.entries(CASES)) {
        const result = await runCli([...args, '--json'], { cwd: dir, env: { AIO_REGISTRY_USERNAME: undefined, AIO_REGISTRY_PASSWORD: undefined } });
        assert.ok(!looksLikeStackTrace(result.stdout + result.stderr), `${id}: ${result.stderr}`);
        const parsed = JSON.parse(result.stdout) as { error: { code: string; exit: number; message: string; hint?: string } };
        assert.equal(result.code, parsed.error.exit, `${id}: the exit status is the one the object names`);
        seen[id] = { ...parsed.error, message: parsed.error.message.replaceAll(dir, '<dir>') };
      }
      matchSnapshot('json-errors.json', `${JSON.stringify(seen, null, 2)}\n`);
    });
  });
});
