import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Diagnostic } from '../../src/diagnostics.js';
import { validateGraphFile, validateGraphText, type GraphValidation } from '../../src/graph/validate.js';
import { samplesDir } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';

/** Deterministic PRNG (mulberry32) so a failing iteration can be replayed from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['source', 'map', 'filter', 'branch', 'concatenate', 'accumulate', 'delay', 'sink', 'fliter', 'True', '[]', '{}', '~'];

type Mutation = (text: string, random: () => number) => string;
const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

const MUTATIONS: Record<string, Mutation> = {
  deleteLine: (text, r) => {
    const lines = text.split('\n');
    lines.splice(Math.floor(r() * lines.length), 1 + Math.floor(r() * 3));
    return lines.join('\n');
  },
  swapType: (text, r) => text.replace(/operationType: "?\w+"?/, `operationType: ${pick(TYPES, r)}`),
  duplicateKey: (text, r) => {
    const lines = text.split('\n');
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, lines[i] ?? '');
    return lines.join('\n');
  },
  truncate: (text, r) => text.slice(0, Math.floor(r() * text.length)),
  randomBytes: (text, r) => {
    const at = Math.floor(r() * text.length);
    const noise = Array.from({ length: 1 + Math.floor(r() * 16) }, () => String.fromCharCode(Math.floor(r() * 256))).join('');
    return text.slice(0, at) + noise + text.slice(at);
  },
  swapLines: (text, r) => {
    const lines = text.split('\n');
    const a = Math.floor(r() * lines.length);
    const b = Math.floor(r() * lines.length);
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    return lines.join('\n');
  },
  reindent: (text, r) => {
    const lines = text.split('\n');
    const i = Math.floor(r() * lines.length);
    lines[i] = pick(['', ' ', '    ', '\t', '- '], r) + (lines[i] ?? '');
    return lines.join('\n');
  },
  renameOperation: (text, r) => text.replace(/name: "?([\w/-]+)"?/g, (whole, name: string) => (r() < 0.2 ? `name: ${name}x` : whole)),
  unquoteArm: (text) => text.replace(/arm: "(True|False)"/, 'arm: $1'),
  aliasNoise: (text) => `x: &x [1, 2, 3]\n${text}\ny: [*x, *x, *x]\n`,
};

function assertVerdict(result: GraphValidation, context: string): void {
  assert.equal(typeof result.valid, 'boolean', context);
  assert.ok(Array.isArray(result.diagnostics), context);
  for (const d of result.diagnostics as Diagnostic[]) {
    assert.match(d.code, /^AIO_[A-Z0-9_]+$/, context);
    assert.notEqual(d.code, 'AIO_INTERNAL', `${context}: ${d.message}`);
    assert.ok(Number.isInteger(d.line) && d.line >= 1 && Number.isInteger(d.column) && d.column >= 1, `${context}: position ${d.line}:${d.column}`);
    assert.ok(['error', 'warning', 'info'].includes(d.severity), context);
  }
  assert.equal(result.valid, !result.diagnostics.some((d) => d.severity === 'error'), context);
}

const ITERATIONS = 2400;

describe('fuzzing the validator with mutated sample graphs', () => {
  it(`returns a verdict and never throws, over ${ITERATIONS} mutations`, async () => {
    const names = [
      'aio-explore/graph-complex.yaml',
      'aio-explore/graph.dataflow.yaml',
      'aio-explore/graph-simple.yaml',
      'edge-ai/graph-datetime.yaml',
      'aio-explore/statestore-scenario/graph.dataflow.yaml',
    ];
    const samples = await Promise.all(names.map((n) => readFile(join(samplesDir, n), 'utf8')));
    const mutations = Object.entries(MUTATIONS);
    const seen = new Map<string, number>();
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const random = prng(seed);
      let text = pick(samples, random);
      const applied: string[] = [];
      for (let k = 0, n = 1 + Math.floor(random() * 3); k < n; k++) {
        const [name, mutate] = pick(mutations, random);
        text = mutate(text, random);
        applied.push(name);
      }
      const result = validateGraphText('fuzz.yaml', text);
      assertVerdict(result, `seed ${seed} (${applied.join(', ')})`);
      for (const d of result.diagnostics) seen.set(d.code, (seen.get(d.code) ?? 0) + 1);
    }
    // The mutations must actually reach the rules, or the fuzzing proves little.
    for (const code of ['AIO_YAML_SYNTAX', 'AIO_YAML_DUPLICATE_KEY', 'AIO_SCHEMA_ENUM', 'AIO_GRAPH_UNKNOWN_OPERATION', 'AIO_GRAPH_ARM_UNQUOTED']) {
      assert.ok((seen.get(code) ?? 0) > 0, `no mutation produced ${code}`);
    }
  });

  it('handles random bytes written to a file (binary, broken UTF-8) with a verdict', async () => {
    await withTempDir(async (dir) => {
      const sample = await readFile(join(samplesDir, 'aio-explore', 'graph-simple.yaml'));
      for (let seed = 1; seed <= 200; seed++) {
        const random = prng(seed * 7919);
        const bytes = Buffer.from(sample);
        for (let k = 0; k < 1 + Math.floor(random() * 8); k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        const path = join(dir, `fuzz-${seed}.yaml`);
        await writeFile(path, bytes);
        assertVerdict(await validateGraphFile(path), `file seed ${seed}`);
      }
    });
  });
});
