import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates a temporary folder for one test and removes it afterwards, whatever happens. */
export async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'aio-test-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const suiteDirs: string[] = [];

/** A temporary folder that lives until the test process exits (for suite-wide fixtures), then is removed. */
export async function makeTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aio-test-'));
  if (suiteDirs.length === 0) process.once('exit', () => suiteDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  suiteDirs.push(dir);
  return dir;
}
