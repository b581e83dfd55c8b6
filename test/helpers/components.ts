import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { MemoryLog } from '../../src/engine/run-log.js';
import { MetricsRegistry } from '../../src/wasm/host/metrics.js';
import { StateStore } from '../../src/wasm/host/state-store.js';
import { SchemaCatalog } from '../../src/wasm/host/schema-catalog.js';
import type { HostServices } from '../../src/wasm/host/host-imports.js';

/** A component built by `npm run build:components fixtures` (pretest runs it). */
export function fixtureComponent(name: string): string {
  return join(repoRoot, 'test', 'fixtures', 'components', 'build', `${name}.wasm`);
}

/**
 * One transpile cache for every test file and run: entries are keyed by the component's sha256 and written
 * atomically, so sharing is safe, and a warm cache spares each file the cold transpiles (about a second per JS module).
 */
export const SHARED_TEST_CACHE = join(tmpdir(), `aio-test-cache-${process.getuid?.() ?? 'user'}`);

/** Points this process (and the CLIs it spawns) at the shared test cache. */
export function useSharedCache(): string {
  process.env['AIO_CACHE_DIR'] = SHARED_TEST_CACHE;
  return SHARED_TEST_CACHE;
}

/** Points the cache at a fresh folder of this process's own: for tests about the cache itself (misses, races, contents). */
export function useTempCache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aio-cache-'));
  process.env['AIO_CACHE_DIR'] = dir;
  return dir;
}

export function testServices(): HostServices & { log: MemoryLog; metrics: MetricsRegistry; stateStore: StateStore } {
  return { log: new MemoryLog(), metrics: new MetricsRegistry(), stateStore: new StateStore(), schemas: new SchemaCatalog() };
}
