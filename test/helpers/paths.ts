import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: compiled tests live in dist/test/helpers. */
export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** `shared/` sits beside the project root, in development and in CI; AIO_SHARED_DIR overrides. */
export const sharedDir = resolve(process.env['AIO_SHARED_DIR'] ?? join(repoRoot, '..', 'shared'));

export const samplesDir = join(sharedDir, 'samples');

export function fixture(...parts: string[]): string {
  return join(repoRoot, 'test', 'fixtures', ...parts);
}

export function requireSharedSamples(): void {
  if (!existsSync(samplesDir)) throw new Error(`shared samples not found at ${samplesDir}; set AIO_SHARED_DIR`);
}
