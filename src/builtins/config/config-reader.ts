/**
 * Reads a built-in's `configuration` list (`[{key, value}]`, each value a JSON document) and collects findings with
 * the offset inside the value where the problem is. Shared by all six built-ins so every one reports unknown keys,
 * bad JSON, unknown members, wrong types and missing members the same way, with the same codes.
 *
 * API:
 * - `new ConfigReader(entries, allowedKeys)`: reports duplicate and unknown keys at once (AIO_BUILTIN_DUPLICATE_KEY,
 *   AIO_BUILTIN_UNKNOWN_KEY); `reader.findings` collects everything found afterwards.
 * - `reader.document(key, required)`: the parsed JSON of that entry, or undefined (absent; or invalid JSON,
 *   reported as AIO_BUILTIN_JSON_SYNTAX; or absent while required, AIO_BUILTIN_MISSING_KEY).
 * - `reader.members(key, node, where, shape)`: checks an object against a shape (member → expected JSON kind and
 *   whether required) and returns its members by name; unknown, duplicate, mistyped and missing members are
 *   reported. `where` names the object in messages, e.g. `rules.accumulate[0]`.
 * - `reader.problems(key, stringNode, where, problems)`: expression/input/path problems (offsets in the decoded
 *   string) reported at their exact source offset inside the JSON string, escapes included.
 * - `reader.error(key, offset, code, message, hint?)` / `reader.warning(…)`: anything else the transform checks.
 */
import type { BuiltinFinding, ConfigurationEntry } from '../builtin-transform.js';
import type { ExpressionProblem } from '../expression/api.js';
import { jsonKindName, parseJsonDocument, type JsonNode, type JsonNumber, type JsonObject, type JsonString } from './json-document.js';

/** The JSON kind a member must have; `integer` is a number written without fraction or exponent. */
export type MemberKind = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';

/** member name → [expected kind, required?] */
export type Shape = Record<string, readonly [MemberKind, boolean]>;

export type Members = Partial<Record<string, JsonNode>>;

const ARTICLE: Record<MemberKind, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
};

export class ConfigReader {
  readonly findings: BuiltinFinding[] = [];
  private readonly byKey = new Map<string, ConfigurationEntry>();

  constructor(entries: readonly ConfigurationEntry[], allowedKeys: readonly string[]) {
    const allowed = allowedKeys.map((k) => `\`${k}\``).join(', ') || 'none';
    for (const entry of entries) {
      if (this.byKey.has(entry.key)) {
        this.error(entry.key, undefined, 'AIO_BUILTIN_DUPLICATE_KEY', `configuration key \`${entry.key}\` appears more than once`, 'keep one entry per key');
      } else if (!allowedKeys.includes(entry.key)) {
        this.error(entry.key, undefined, 'AIO_BUILTIN_UNKNOWN_KEY', `unknown configuration key \`${entry.key}\``, `this transform reads: ${allowed}`);
      } else {
        this.byKey.set(entry.key, entry);
      }
    }
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  document(key: string, required: boolean): JsonNode | undefined {
    const entry = this.byKey.get(key);
    if (entry === undefined) {
      if (required) {
        this.error(
          undefined,
          undefined,
          'AIO_BUILTIN_MISSING_KEY',
          `configuration key \`${key}\` is missing`,
          `add {key: ${key}, value: <JSON>} under graphSettings.configuration`,
        );
      }
      return undefined;
    }
    const parsed = parseJsonDocument(entry.value);
    if (!parsed.ok) {
      this.error(
        key,
        parsed.offset,
        'AIO_BUILTIN_JSON_SYNTAX',
        `the value of \`${key}\` is not valid JSON: ${parsed.message}`,
        'the value must be one JSON document',
      );
      return undefined;
    }
    return parsed.root;
  }

  /** Checks `node` is an object of `shape`; undefined when it is not an object at all. */
  members(key: string, node: JsonNode, where: string, shape: Shape): Members | undefined {
    if (!this.expect(key, node, 'object', where)) return undefined;
    const found: Members = {};
    // Mistyped members count as present: reported once as mistyped, not again as missing.
    const seen = new Set<string>();
    for (const entry of (node as JsonObject).entries) {
      const spec = shape[entry.key];
      if (spec === undefined) {
        const known = Object.keys(shape).join(', ');
        this.error(key, entry.keyOffset, 'AIO_BUILTIN_UNKNOWN_MEMBER', `unknown member \`${entry.key}\` in ${where}`, `known members: ${known}`);
      } else if (seen.has(entry.key)) {
        this.error(key, entry.keyOffset, 'AIO_BUILTIN_DUPLICATE_MEMBER', `member \`${entry.key}\` appears twice in ${where}`, 'remove one of them');
      } else {
        seen.add(entry.key);
        if (this.expect(key, entry.value, spec[0], `${where}.${entry.key}`)) found[entry.key] = entry.value;
      }
    }
    for (const [name, [kind, required]] of Object.entries(shape)) {
      if (required && !seen.has(name)) {
        this.error(key, node.offset, 'AIO_BUILTIN_MISSING_MEMBER', `${where} has no \`${name}\``, `add "${name}": ${ARTICLE[kind].replace(/^an? /, '<')}>`);
      }
    }
    return found;
  }

  /** Reports a value of the wrong JSON kind; true when it has the expected kind. */
  expect(key: string, node: JsonNode, kind: MemberKind, where: string): boolean {
    const ok = kind === 'integer' ? node.kind === 'number' && node.integer : node.kind === kind;
    if (!ok) this.error(key, node.offset, 'AIO_BUILTIN_WRONG_TYPE', `${where} must be ${ARTICLE[kind]}, found ${jsonKindName(node)}`);
    return ok;
  }

  /** A `uint64 > 0` limit (delaySeconds, maxMessageCount, maxBufferBytes); undefined after reporting when it is not. */
  positiveInteger(key: string, node: JsonNumber, where: string): number | undefined {
    if (node.value > 0 && Number.isSafeInteger(node.value)) return node.value;
    this.error(key, node.offset, 'AIO_BUILTIN_INVALID_LIMIT', `${where} must be a whole number greater than 0, found ${node.raw}`);
    return undefined;
  }

  /**
   * Reports problems of an expression, input or path (offsets in its decoded text) at their place in the JSON
   * string `node` that holds it, escapes included; `where` prefixes the message (e.g. `rules.accumulate[0].expression`).
   */
  problems(key: string, node: JsonString, where: string, problems: readonly ExpressionProblem[]): void {
    for (const p of problems) {
      const finding: BuiltinFinding = { severity: p.severity, code: p.code, message: `${where}: ${p.message}`, key, offset: node.sourceOffset(p.offset) };
      this.findings.push(p.hint === undefined ? finding : { ...finding, hint: p.hint });
    }
  }

  error(key: string | undefined, offset: number | undefined, code: string, message: string, hint?: string): void {
    this.findings.push({ severity: 'error', code, message, ...(hint === undefined ? {} : { hint }), key, offset });
  }

  warning(key: string | undefined, offset: number | undefined, code: string, message: string, hint?: string): void {
    this.findings.push({ severity: 'warning', code, message, ...(hint === undefined ? {} : { hint }), key, offset });
  }

  get failed(): boolean {
    return this.findings.some((f) => f.severity === 'error');
  }
}
