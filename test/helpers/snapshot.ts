import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './paths.js';

/**
 * Compares text with test/snapshots/<name>. A missing snapshot fails (so CI never records one silently);
 * `UPDATE_SNAPSHOTS=1 npm test` writes them after a deliberate change, for review in the diff.
 */
export function matchSnapshot(name: string, actual: string): void {
  const path = join(repoRoot, 'test', 'snapshots', name);
  if (process.env['UPDATE_SNAPSHOTS'] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `snapshot ${name} is missing; run UPDATE_SNAPSHOTS=1 npm test and review it`);
  assert.equal(actual, readFileSync(path, 'utf8'), `output differs from snapshot ${name}`);
}
