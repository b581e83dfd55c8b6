/**
 * A JavaScript operator's cost per call against the hand-written WAT component (jco's floor for a module call),
 * measured in this run, per engine (QuickJS, aio build's default, and SpiderMonkey):
 * - the template map (what `aio operator new --type map` writes, TypeScript on the SDK) through aio's binding;
 * - the bound: a map written directly against the WIT that hands its input back (no SDK, no JSON). What it costs
 *   is the engine runtime's canonical-ABI lifting and lowering of the item, jco's glue and the interpreter's entry
 *   and exit: no operator written in JavaScript on that engine can be cheaper.
 * Every figure is the best of ROUNDS runs, each in a process of its own, the modules taking turns, so a load spike
 * from other work on the machine does not land on one side only. Goal: the template map ≤ 3× the WAT component.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureComponent } from '../test/helpers/components.js';
import { repoRoot } from '../test/helpers/paths.js';
import type { BenchRow } from './graph-validate.js';

const CALLS = 5_000;
const ROUNDS = 7;
const ENGINES = ['quickjs', 'spidermonkey'] as const;

/** The bound's source: the item goes back as it came, every buffer handle included. */
const BOUND_OPERATOR = `// A map written against the WIT: returns its input.
export const map = { init: () => true, process: (item: unknown) => item };
`;

/** Milliseconds for `calls` map calls of the module in `file` through aio's binding, after a warm-up (module-call.ts). */
export function perCallMs(file: string, calls: number): number {
  const out = execFileSync(process.execPath, [join(repoRoot, 'dist', 'bench', 'module-call.js'), file, String(calls)]).toString();
  return (JSON.parse(out) as { ms: number }).ms;
}

function aio(args: string[], cwd: string): void {
  execFileSync(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export async function benchJsPerCall(): Promise<BenchRow[]> {
  const parent = mkdtempSync(join(tmpdir(), 'aio-bench-js-call-'));
  const cache = mkdtempSync(join(tmpdir(), 'aio-bench-cache-'));
  process.env['AIO_CACHE_DIR'] = cache;
  try {
    aio(['init', 'ws', '--lang', 'ts', '--operator', 'template', '--type', 'map'], parent);
    const ws = join(parent, 'ws');
    aio(['operator', 'new', 'bound', '--type', 'map'], ws);
    writeFileSync(join(ws, 'operators', 'bound', 'src', 'index.ts'), BOUND_OPERATOR);
    const modules: Record<string, string> = { wat: fixtureComponent('conformance-wat') };
    for (const engine of ENGINES) {
      for (const operator of ['template', 'bound']) {
        aio(['build', operator, '--force', '--js-engine', engine], ws);
        modules[`${engine}/${operator}`] = join(parent, `${engine}-${operator}.wasm`);
        copyFileSync(join(ws, 'operators', operator, 'bin', 'release', `${operator}.wasm`), modules[`${engine}/${operator}`]!);
      }
    }
    const best: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, file] of Object.entries(modules)) best[name] = Math.min(best[name] ?? Infinity, perCallMs(file, CALLS));
    }
    const wat = best['wat']!;
    const us = (ms: number): string => `${((ms * 1000) / CALLS).toFixed(1)} µs per call`;
    const rows: BenchRow[] = [{ name: `WAT component: ${CALLS} map calls (baseline)`, ms: wat, ratio: 1, note: us(wat) }];
    for (const engine of ENGINES) {
      const template = best[`${engine}/template`]!;
      const bound = best[`${engine}/bound`]!;
      rows.push({ name: `${engine}: template map`, ms: template, ratio: template / wat, note: `${us(template)}; goal ≤ 3x the WAT component` });
      rows.push({ name: `${engine}: WIT-direct map returning its input (bound)`, ms: bound, ratio: bound / wat, note: us(bound) });
    }
    return rows;
  } finally {
    rmSync(parent, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}
