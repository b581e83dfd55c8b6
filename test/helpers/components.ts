import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { MemoryLog } from '../../src/wasm/host/run-log.js';
import { MetricsRegistry } from '../../src/wasm/host/metrics.js';
import { StateStore } from '../../src/wasm/host/state-store.js';
import { SchemaCatalog } from '../../src/wasm/host/schema-catalog.js';
import type { HostServices } from '../../src/wasm/host/host-imports.js';

/** A component built by `npm run build:components fixtures` (pretest runs it). */
export function fixtureComponent(name: string): string {
  return join(repoRoot, 'test', 'fixtures', 'components', 'build', `${name}.wasm`);
}

/** Points the transpile cache at a fresh folder for this test process. */
export function useTempCache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aio-cache-'));
  process.env['AIO_CACHE_DIR'] = dir;
  return dir;
}

export function testServices(): HostServices & { log: MemoryLog } {
  return { log: new MemoryLog(), metrics: new MetricsRegistry(), stateStore: new StateStore(), schemas: new SchemaCatalog() };
}
