/**
 * `aio registry` figures against the local Debian docker-registry, each against a bare baseline measured in the
 * same run on the same registry: the fewest requests the distribution protocol allows (POST + monolithic PUT to
 * upload, one GET to download) with plain `fetch`, no checks. Ratios near 1 mean aio's checks (HEAD before
 * upload, digest verification, chunking, manifests) cost little; the repeated push is against the first push.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { anonymous } from '../src/registry/auth.js';
import { sha256Digest } from '../src/registry/digest.js';
import { pushGraphWithModules } from '../src/registry/push-graph.js';
import { parseReference } from '../src/registry/reference.js';
import { planFile, pullArtifact, pushPlan, type RegistryAccess } from '../src/registry/transfer.js';
import { startRegistry } from '../test/helpers/registry.js';
import type { BenchRow } from './graph-validate.js';

const BIG = 12 * 1024 * 1024;
const SMALL = 1024 * 1024;
const GRAPH_MODULES = 10;

/** Bytes that look like a module and do not compress or repeat between runs. */
function wasmBytes(size: number): Buffer {
  const bytes = randomBytes(size);
  Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]).copy(bytes);
  return bytes;
}

async function bareUpload(host: string, repository: string, bytes: Buffer): Promise<void> {
  const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location')!, `http://${host}`);
  location.searchParams.set('digest', sha256Digest(bytes));
  const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`bare upload failed: ${put.status}`);
}

async function bareDownload(host: string, repository: string, digest: string): Promise<void> {
  const response = await fetch(`http://${host}/v2/${repository}/blobs/${digest}`);
  await response.arrayBuffer();
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

function chain(n: number): string {
  const ops = Array.from({ length: n }, (_, i) => `  - { operationType: map, name: m${i}/map, module: "m${i}:1.0.0" }`).join('\n');
  const names = ['source', ...Array.from({ length: n }, (_, i) => `m${i}/map`), 'sink'];
  const connections = names
    .slice(1)
    .map((to, i) => `  - { from: { name: ${names[i]} }, to: { name: ${to} } }`)
    .join('\n');
  return `metadata: { $schema: "x", name: bench, version: "1.0.0" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
${ops}
  - { operationType: sink, name: sink }
connections:
${connections}
`;
}

export async function benchRegistry(): Promise<BenchRow[]> {
  const registry = await startRegistry();
  const dir = mkdtempSync(join(tmpdir(), 'aio-bench-registry-'));
  const access: RegistryAccess = { plainHttp: true, credentials: anonymous };
  try {
    const rows: BenchRow[] = [];
    const big = wasmBytes(BIG);
    const bigFile = join(dir, 'big.wasm');
    writeFileSync(bigFile, big);
    await bareUpload(registry.host, 'warmup', wasmBytes(SMALL)); // first request pays for connection set-up

    const bareUp = await time(() => bareUpload(registry.host, 'bare', wasmBytes(BIG)));
    rows.push({ name: 'bare upload, 12 MiB blob (POST + PUT)', ms: bareUp, ratio: 1, note: 'baseline' });
    const plan = await planFile(bigFile, 'module');
    const push = await time(() => pushPlan(parseReference(`${registry.host}/big:1`), plan, access));
    rows.push({ name: 'aio push, 12 MiB module', ms: push, ratio: push / bareUp, note: 'HEAD, chunked upload (8 MiB), manifest' });
    const again = await time(() => pushPlan(parseReference(`${registry.host}/big:1`), plan, access));
    rows.push({ name: 'aio push again (all present)', ms: again, ratio: again / push, note: 'vs the first push' });

    const layer = plan.blobs.find((b) => b.descriptor.mediaType === 'application/wasm')!.descriptor.digest;
    const bareDown = await time(() => bareDownload(registry.host, 'big', layer));
    rows.push({ name: 'bare download, 12 MiB blob (GET)', ms: bareDown, ratio: 1, note: 'baseline' });
    const pull = await time(() => pullArtifact(parseReference(`${registry.host}/big:1`), join(dir, 'pulled.wasm'), access));
    rows.push({ name: 'aio pull, 12 MiB module', ms: pull, ratio: pull / bareDown, note: 'manifest, digest check, file write' });

    const modules = join(dir, 'modules');
    mkdirSync(modules);
    const blobs: Buffer[] = [];
    for (let i = 0; i < GRAPH_MODULES; i++) {
      const bytes = wasmBytes(SMALL);
      blobs.push(bytes);
      writeFileSync(join(modules, `m${i}.wasm`), bytes);
    }
    const graphFile = join(dir, 'graph.yaml');
    writeFileSync(graphFile, chain(GRAPH_MODULES));
    const bareTen = await time(async () => {
      for (const [i, bytes] of blobs.entries()) await bareUpload(registry.host, `bare${i}`, bytes);
    });
    rows.push({ name: `bare upload, ${GRAPH_MODULES} × 1 MiB blobs`, ms: bareTen, ratio: 1, note: 'baseline' });
    const graphPush = await time(() => pushGraphWithModules(graphFile, registry.host, { moduleDirs: [modules], access }));
    rows.push({
      name: `aio push --graph, ${GRAPH_MODULES} modules`,
      ms: graphPush,
      ratio: graphPush / bareTen,
      note: '10 modules + graph: 22 blobs, 11 manifests',
    });
    const graphAgain = await time(() => pushGraphWithModules(graphFile, registry.host, { moduleDirs: [modules], access }));
    rows.push({ name: 'aio push --graph again (all present)', ms: graphAgain, ratio: graphAgain / graphPush, note: 'vs the first graph push' });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await registry.stop();
  }
}
