import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: compiled tests live in dist/test/helpers. */
export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** Copies of the public AIO samples (MIT, licences beside them), so a bare clone's tests need nothing else. */
export const samplesDir = join(repoRoot, 'test', 'fixtures', 'samples');

export function fixture(...parts: string[]): string {
  return join(repoRoot, 'test', 'fixtures', ...parts);
}
