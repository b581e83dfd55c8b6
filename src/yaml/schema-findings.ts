import type { ErrorObject, ValidateFunction } from 'ajv';
import { finding, type Finding } from '../diagnostics.js';
import { didYouMean } from '../util/suggest.js';
import { nodeAtPath, positionOf, sourceText, type SourceDocument } from './parse-document.js';

/**
 * Checks a parsed YAML document against a compiled JSON Schema and turns each violation into a positioned,
 * actionable finding (graphs and aio.yaml alike). `schema` is the one `validate` was compiled from.
 */
export function schemaFindings(source: SourceDocument, value: unknown, validate: ValidateFunction, schema: object): Finding[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => toFinding(source, error, value, schema));
}

function toFinding(source: SourceDocument, error: ErrorObject, root: unknown, schema: object): Finding {
  const path = parsePointer(error.instancePath);
  const where = displayPath(path);
  const { node, keyNode } = nodeAtPath(source, path);
  const at = positionOf(source, node ?? keyNode);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      return finding('error', 'AIO_SCHEMA_REQUIRED', at, `${where || 'the document'} is missing the required key "${missing}"`, `add "${missing}:" here`);
    }
    case 'additionalProperties': {
      const extra = String(params['additionalProperty']);
      const allowed = allowedKeys(error, schema);
      const keyAt = positionOf(source, nodeAtPath(source, [...path, extra]).keyNode, at);
      const suggestion = didYouMean(extra, allowed);
      const hint = suggestion ?? `allowed keys here: ${allowed.join(', ')}`;
      return finding('error', 'AIO_SCHEMA_UNKNOWN_KEY', keyAt, `unknown key "${extra}" in ${where || 'the document'}`, hint);
    }
    case 'type': {
      const expected = Array.isArray(params['type']) ? (params['type'] as string[]).join(' or ') : String(params['type']);
      const written = sourceText(source, node) ?? JSON.stringify(valueAt(root, path));
      const hint = expected.startsWith('string') ? `quote the value: ${lastKey(path)}: "${unquote(written)}"` : `write ${article(expected)} ${expected} here`;
      return finding('error', 'AIO_SCHEMA_TYPE', at, `${where} must be ${article(expected)} ${expected}, not ${describe(valueAt(root, path))}`, hint);
    }
    case 'enum':
      return enumFinding(source, error, path, at, valueAt(root, path));
    default:
      return finding('error', 'AIO_SCHEMA_INVALID', at, `${where || 'the document'} ${error.message ?? 'is invalid'}`);
  }
}

function enumFinding(source: SourceDocument, error: ErrorObject, path: Array<string | number>, at: { line: number; column: number }, value: unknown): Finding {
  const allowed = ((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).filter((v): v is string => typeof v === 'string');
  const where = displayPath(path);
  if (lastKey(path) === 'arm' && typeof value === 'boolean') {
    const meant = value ? 'True' : 'False';
    return finding(
      'error',
      'AIO_GRAPH_ARM_UNQUOTED',
      at,
      `${where} is the YAML boolean ${String(value)}, not the string "${meant}"; the cluster rejects it with "Unsupported value: ${String(value)}"`,
      `quote it: arm: "${meant}"`,
    );
  }
  const written = typeof value === 'string' ? value : (sourceText(source, nodeAtPath(source, path).node) ?? String(value));
  const suggestion = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
  return finding(
    'error',
    'AIO_SCHEMA_ENUM',
    at,
    `${where} is "${written}"; allowed values: ${allowed.map((v) => `"${v}"`).join(', ')}`,
    suggestion ?? `use one of ${allowed.join(', ')}`,
  );
}

/** `additionalProperties: false` errors do not list what is allowed; the schema node does. */
function allowedKeys(error: ErrorObject, schema: object): string[] {
  const schemaPath = error.schemaPath
    .replace(/^#\//, '')
    .replace(/\/additionalProperties$/, '')
    .split('/')
    .filter(Boolean);
  let node: unknown = schema;
  for (const segment of schemaPath) node = (node as Record<string, unknown> | undefined)?.[decodeSegment(segment)];
  const properties = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties === undefined ? [] : Object.keys(properties);
}

function parsePointer(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map(decodeSegment)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function decodeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `operations[2].operationType`, the way people read paths. */
export function displayPath(path: ReadonlyArray<string | number>): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = root;
  for (const segment of path) value = (value as Record<string | number, unknown> | null | undefined)?.[segment];
  return value;
}

function lastKey(path: ReadonlyArray<string | number>): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return 'value';
}

function describe(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string "${value}"`;
  return `the ${typeof value} ${String(value)}`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function unquote(text: string): string {
  return text.replace(/^["']|["']$/g, '');
}
