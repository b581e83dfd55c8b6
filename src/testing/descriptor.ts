/**
 * The AIO tooling's test descriptor, one YAML file per case (`*.test.yaml`), so existing workspaces' tests run
 * unchanged: `{name, graph, input, expected, timeout, select, ignores}`. Paths are relative to the descriptor.
 */
import { dirname, resolve } from 'node:path';
import { AioError } from '../errors.js';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import { nodeAtPath, parseYaml, positionOf } from '../yaml/parse-document.js';

export interface TestDescriptor {
  file: string;
  name: string;
  graph: string;
  /** Data folder: one input message per file. */
  input: string;
  /** JSON file with the expected sink message(s), reduced to `select`. */
  expected: string;
  timeoutMs: number;
  select: string[];
  ignores: string[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
const KEYS = ['name', 'graph', 'input', 'expected', 'timeout', 'select', 'ignores'];

export async function loadDescriptor(file: string): Promise<TestDescriptor> {
  const parsed = parseYaml(await readUserTextOrThrow(file));
  if (!parsed.ok) {
    const f = parsed.findings[0]!;
    throw new AioError(f.code, f.message, { hint: f.hint, location: { file, line: f.line, column: f.column } });
  }
  const value = parsed.value as Record<string, unknown>;
  const at = (key: string) => {
    const { node, keyNode } = nodeAtPath(parsed.source, [key]);
    const pos = positionOf(parsed.source, node ?? keyNode ?? null);
    return { file, line: pos.line, column: pos.column };
  };
  const fail = (key: string, message: string, hint: string): never => {
    throw new AioError('AIO_TEST_BAD_DESCRIPTOR', `${key}: ${message}`, { hint, location: at(key) });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AioError('AIO_TEST_BAD_DESCRIPTOR', 'a test descriptor is a mapping', {
      hint: 'write name:, graph:, input:, expected: keys',
      location: { file, line: 1, column: 1 },
    });
  }
  for (const key of Object.keys(value)) if (!KEYS.includes(key)) fail(key, `unknown key ${key}`, `the keys are ${KEYS.join(', ')}`);
  const text = (key: string, required: boolean): string | undefined => {
    const v = value[key];
    if (v === undefined || v === null) return required ? fail(key, 'is required', `add ${key}: to the descriptor`) : undefined;
    if (typeof v !== 'string') return fail(key, 'must be a string', 'quote the value');
    return v;
  };
  const list = (key: string): string[] => {
    const v = value[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((p) => typeof p !== 'string'))
      return fail(key, 'must be a list of field paths', 'e.g. [payload, properties.user-properties.factoryId]');
    return v as string[];
  };
  const timeout = value['timeout'];
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0)))
    fail('timeout', 'must be a positive number of milliseconds', 'e.g. timeout: 10000');
  const base = dirname(file);
  return {
    file,
    name: text('name', false) ?? file,
    graph: resolve(base, text('graph', true)!),
    input: resolve(base, text('input', true)!),
    expected: resolve(base, text('expected', true)!),
    timeoutMs: (timeout as number | undefined) ?? DEFAULT_TIMEOUT_MS,
    select: list('select'),
    ignores: list('ignores'),
  };
}
