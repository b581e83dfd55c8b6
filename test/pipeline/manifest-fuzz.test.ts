import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { validateManifestText } from '../../src/pipeline/validate-manifest.js';
import { validateInputText } from '../../src/pipeline/validate-input.js';
import { fixture } from '../helpers/paths.js';

/** Deterministic PRNG (mulberry32): a failing iteration replays from its seed. */
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

type Mutation = (text: string, random: () => number) => string;
const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;
const at = (text: string, random: () => number): number => Math.floor(random() * text.length);

/** Edits a user could make by mistake, to text or to the JSON inside configuration values. */
const MUTATIONS: Mutation[] = [
  (text, r) => {
    const lines = text.split('\n');
    lines.splice(Math.floor(r() * lines.length), 1 + Math.floor(r() * 3));
    return lines.join('\n');
  },
  (text, r) => {
    const lines = text.split('\n');
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, lines[i] ?? '');
    return lines.join('\n');
  },
  (text, r) => text.slice(0, at(text, r)),
  (text, r) => {
    const i = at(text, r);
    return text.slice(0, i) + pick(['"', '\\', '{', '}', '$', '*', '.', ',', '\n', ' ', '#', '\\u00', 'é'], r) + text.slice(i + (r() < 0.5 ? 1 : 0));
  },
  (text, r) =>
    text.replace(/nodeType"?: "?\w+"?/, (whole) => whole.replace(/Source|Graph|Destination/, pick(['Sink', 'graph', '', 'Source', 'Destination'], r))),
  (text, r) =>
    text.replace(/name"?: "?[\w.-]+"?/g, (whole) => (r() < 0.15 ? whole.replace(/[\w-]+("?)$/, (n, q: string) => `${n.slice(0, -1 - q.length)}x${q}`) : whole)),
  (text, r) => text.replace(/output\.(true|false)/, pick(['output', 'output.maybe', 'true', ''], r)),
  (text, r) => text.replace(/\$1/g, (whole) => (r() < 0.3 ? pick(['$7', '$0', 'average($1)', 'lenn($1)', '$1 +', '"$1'], r) : whole)),
];

async function fuzz(file: string, iterations: number, minReached: number): Promise<void> {
  const original = await readFile(file, 'utf8');
  let reachedRules = 0;
  for (let seed = 1; seed <= iterations; seed++) {
    const random = prng(seed);
    let text = original;
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) text = pick(MUTATIONS, random)(text, random);
    const context = `${file} seed ${seed}`;
    const result = validateManifestText(file, text);
    const lines = text.split('\n').length;
    for (const d of result.diagnostics) {
      assert.notEqual(d.code, 'AIO_INTERNAL', `${context}: ${d.message}`);
      assert.match(d.code, /^AIO_[A-Z0-9_]+$/, context);
      assert.ok(d.line >= 1 && d.line <= lines + 1 && d.column >= 1, `${context}: ${d.code} at ${d.line}:${d.column} of ${lines} lines`);
    }
    assert.equal(result.valid, !result.diagnostics.some((d) => d.severity === 'error'), context);
    // The dispatcher must never crash either, whatever the text turned into.
    assert.ok(
      validateInputText(file, text).diagnostics.every((d) => d.code !== 'AIO_INTERNAL'),
      context,
    );
    if (result.diagnostics.some((d) => /^AIO_(PIPELINE|BUILTIN)_/.test(d.code) && d.code !== 'AIO_PIPELINE_NOT_A_MANIFEST')) reachedRules++;
  }
  // Mutations that only ever broke the syntax would prove little about the rules.
  assert.ok(reachedRules >= minReached, `only ${reachedRules} of ${iterations} mutated manifests reached the rules`);
}

describe('fuzzing the manifest validator', () => {
  it('never fails internally on mutated Kubernetes YAML, and keeps positions inside the file', async () => {
    await fuzz(fixture('pipelines', 'kubectl-get.yaml'), 250, 80);
  });

  it('never fails internally on mutated ARM JSON', async () => {
    // JSON breaks more easily than YAML: fewer of its mutants get past the syntax.
    await fuzz(fixture('pipelines', 'arm-template.json'), 250, 40);
  });
});
