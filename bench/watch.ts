/**
 * `aio emulate --watch` figures, with messages flowing through the embedded broker (one every 10 ms):
 * - save → first message: from writing a JavaScript operator's changed source to the first sink message made by
 *   the rebuilt module (goal < 3 s with the default engine, QuickJS); baseline: `aio build` of the same change from
 *   the command line, in the same run;
 * - the swap's pause: how long the graph stood still while the new instance started (goal < 100 ms), as the run
 *   logs it; baseline: the median publish → sink latency of a message in the same run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { repoRoot } from '../test/helpers/paths.js';
import type { BenchRow } from './graph-validate.js';

const ROUNDS = 3;
const EVERY_MS = 10;
const bin = join(repoRoot, 'bin', 'run.js');

const source = (version: number) => `import { defineMap } from 'aio-graph-cli/sdk';
export const map = defineMap({
  process(message) {
    return { userProperties: { ...message.userProperties, version: '${version}' } };
  },
});
`;

export async function benchWatch(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aio-bench-watch-'));
  const env = { ...process.env, AIO_CACHE_DIR: join(dir, 'cache') };
  try {
    execFileSync(process.execPath, [bin, 'init', 'ws', '--lang', 'javascript', '--operator', 'counter', '--type', 'map'], { cwd: dir, env, stdio: 'ignore' });
    const ws = join(dir, 'ws');
    const sourceFile = join(ws, 'operators', 'counter', 'src', 'index.js');
    writeFileSync(sourceFile, source(0));
    execFileSync(process.execPath, [bin, 'build', '--workspace', ws], { env, stdio: 'ignore' });

    // Baseline: the same kind of change built from the command line.
    const builds: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      writeFileSync(sourceFile, source(100 + round));
      const started = performance.now();
      execFileSync(process.execPath, [bin, 'build', '--workspace', ws], { env, stdio: 'ignore' });
      builds.push(performance.now() - started);
    }

    const child = spawn(process.execPath, [bin, 'emulate', join(ws, 'graph.dataflow.yaml'), '--port', '0', '--watch'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      while (!/^ready: /m.test(stderr)) await new Promise((r) => setTimeout(r, 10));
      const url = /^broker: (\S+)/m.exec(stderr)![1]!;
      const sub = await mqtt.connectAsync(url, { protocolVersion: 5 });
      const pub = await mqtt.connectAsync(url, { protocolVersion: 5 });
      const sentAt = new Map<number, number>();
      const latencies: number[] = [];
      let onVersion: ((version: string) => void) | undefined;
      sub.on('message', (_topic, payload, packet) => {
        const n = (JSON.parse(payload.toString()) as { n: number }).n;
        latencies.push(performance.now() - sentAt.get(n)!);
        onVersion?.(String(packet.properties?.userProperties?.['version']));
      });
      await sub.subscribeAsync('processed', { qos: 1 });
      let n = 0;
      const flow = setInterval(() => {
        sentAt.set(n, performance.now());
        pub.publish('sensors/a', JSON.stringify({ n: n++ }), { qos: 1 });
      }, EVERY_MS);
      const saves: number[] = [];
      try {
        await new Promise((r) => setTimeout(r, 1000)); // warm
        for (let round = 1; round <= ROUNDS; round++) {
          const version = String(round);
          const seen = new Promise<void>((resolve) => (onVersion = (v) => v === version && resolve()));
          const started = performance.now();
          writeFileSync(sourceFile, source(round));
          await seen;
          saves.push(performance.now() - started);
          await new Promise((r) => setTimeout(r, 500));
        }
      } finally {
        clearInterval(flow);
        await pub.endAsync();
        await sub.endAsync();
      }
      const pauses = [...stderr.matchAll(/graph paused ([\d.]+) ms/g)].map((m) => Number(m[1]));
      const latency = median(latencies);
      const save = median(saves);
      const build = median(builds);
      const pause = median(pauses);
      return [
        { name: '`aio build` of a changed JS operator (baseline)', ms: build, ratio: 1, note: 'QuickJS, a fresh process' },
        {
          name: 'save → first message from the rebuilt module (--watch)',
          ms: save,
          ratio: save / build,
          note: `median of ${ROUNDS}; ratio = time / baseline; goal < 3000 ms`,
        },
        { name: 'publish → sink latency while flowing (baseline)', ms: latency, ratio: 1, note: `median of ${latencies.length} messages` },
        {
          name: 'graph paused by the swap',
          ms: pause,
          ratio: pause / latency,
          note: `median of ${pauses.length} swaps; ratio = pause / latency; goal < 100 ms`,
        },
      ];
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
