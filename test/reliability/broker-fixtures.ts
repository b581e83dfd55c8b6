/** What the broker reliability tests share: a graph of three module operations that passes every `ok-…` payload. */
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

export const MODULES = join(repoRoot, 'test', 'fixtures', 'components', 'build');

/** source → map → filter → map → sink on the misbehaving fixture, which passes any payload but its trigger words.
 * No delay: a delay's outputs wait for the live frontier, which would pace the sink instead of the broker. */
export function passThroughGraph(): string {
  return `metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: pass-through, version: "1.0.0" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: pass/map, module: "misbehaving:1.0.0" }
  - { operationType: filter, name: pass/filter, module: "misbehaving:1.0.0" }
  - { operationType: map, name: pass/map-again, module: "misbehaving:1.0.0" }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: pass/map } }
  - { from: { name: pass/map }, to: { name: pass/filter } }
  - { from: { name: pass/filter }, to: { name: pass/map-again } }
  - { from: { name: pass/map-again }, to: { name: sink } }
`;
}
