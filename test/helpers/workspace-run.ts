/** What the build and emulate tests of a workspace share: `aio build --json`, and what a data-folder run sank. */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildReport } from '../../src/build/build-workspace.js';
import { looksLikeStackTrace, runCli } from './cli.js';

/** `aio build --json <args>` in the workspace; fails the test on a stack trace. */
export async function buildJson(ws: string, args: string[] = [], env?: NodeJS.ProcessEnv): Promise<BuildReport> {
  const result = await runCli(['build', '--json', ...args], { cwd: ws, ...(env === undefined ? {} : { env }) });
  assert.ok(!looksLikeStackTrace(result.stderr), result.stderr);
  return JSON.parse(result.stdout) as BuildReport;
}

/** The payloads the latest `aio emulate --data <dataDir>` run wrote to its sink file, in order. */
export async function sinkPayloads(dataDir: string): Promise<unknown[]> {
  const output = join(dataDir, 'output');
  const file = (await readdir(output))
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .at(-1)!;
  return (await readFile(join(output, file), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { payload: unknown }).payload);
}
