/** A small workspace the reliability tests share: one module map (a fixture, misbehaving by default) between source and sink. */
import { mkdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

/** The fixture modules folder, for `--modules`. */
export const MODULES = join(repoRoot, 'test', 'fixtures', 'components', 'build');

/** The graph, with `module` (a fixture's name) as its one module map. */
export function graphText(module = 'misbehaving'): string {
  return `metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: hostile, version: "1.0.0" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: m/map, module: "${module}:1.0.0" }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: m/map } }
  - { from: { name: m/map }, to: { name: sink } }
`;
}

/** Writes graph.yaml and a data folder with these payloads (message1.txt …); returns the graph's path. */
export async function hostileWorkspace(dir: string, payloads: readonly string[] = ['one', 'two'], module?: string): Promise<string> {
  await writeFile(join(dir, 'graph.yaml'), graphText(module));
  await mkdir(join(dir, 'data'), { recursive: true });
  for (const [i, payload] of payloads.entries()) await writeFile(join(dir, 'data', `message${i + 1}.txt`), payload);
  return join(dir, 'graph.yaml');
}

/** A running process's peak resident memory so far, in MiB (Linux). */
export function peakMiBOf(pid: number): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) / 1024;
}
