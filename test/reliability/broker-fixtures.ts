/** What the broker reliability tests share: graphs of module operations that pass every `ok-…` payload. */
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

export const MODULES = join(repoRoot, 'test', 'fixtures', 'components', 'build');

/** The operations of `passThroughGraph`: three module operations, as in the shutdown report, or one. */
const CHAINS = {
  three: [
    ['map', 'pass/map'],
    ['filter', 'pass/filter'],
    ['map', 'pass/map-again'],
  ],
  one: [['map', 'pass/map']],
} as const;

/**
 * source → module operations → sink on the misbehaving fixture, which passes any payload but its trigger words.
 * No delay: a delay's outputs wait for the live frontier, which would pace the sink instead of the broker.
 */
export function passThroughGraph(chain: keyof typeof CHAINS = 'three'): string {
  const names = ['source', ...CHAINS[chain].map(([, name]) => name), 'sink'];
  return `metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: pass-through, version: "1.0.0" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
${CHAINS[chain].map(([type, name]) => `  - { operationType: ${type}, name: ${name}, module: "misbehaving:1.0.0" }`).join('\n')}
  - { operationType: sink, name: sink }
connections:
${names
  .slice(1)
  .map((to, i) => `  - { from: { name: ${names[i]} }, to: { name: ${to} } }`)
  .join('\n')}
`;
}
