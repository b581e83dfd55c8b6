/**
 * A JSON parser that keeps positions. Built-in configuration values are JSON documents inside a YAML block scalar
 * or an escaped JSON string, and every finding (unknown member, bad expression inside an escaped string) must point
 * at the exact character the user wrote; JSON.parse keeps no positions, hence this hand-written parser.
 *
 * API:
 * - `parseJsonDocument(text)` → `{ok: true, root}` or `{ok: false, offset, message}` (the first syntax error).
 * - Every JsonNode has `offset` (its first character) and `end` (one past its last character), 0-based offsets in
 *   UTF-16 code units of `text`.
 * - object: `entries` in document order (duplicates kept: the reader reports them), each with `key`, `keyOffset`
 *   (the opening quote), `keyNode` and `value`.
 * - string: `value` (decoded) and `sourceOffset(i)`: where decoded code unit `i` starts in `text` (for an escape,
 *   its backslash); `sourceOffset(value.length)` is the closing quote.
 * - number: `value`, `raw` (the text as written) and `integer` (no fraction and no exponent: `1` is Int, `1.0` Float).
 * - `toPlain(node)`: the value JSON.parse would give (a duplicate key keeps its last value, as JSON.parse does).
 */

export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

interface Span {
  offset: number;
  end: number;
}
export interface JsonEntry {
  key: string;
  keyOffset: number;
  keyNode: JsonString;
  value: JsonNode;
}
export interface JsonObject extends Span {
  kind: 'object';
  entries: JsonEntry[];
}
export interface JsonArray extends Span {
  kind: 'array';
  items: JsonNode[];
}
export interface JsonString extends Span {
  kind: 'string';
  value: string;
  sourceOffset(index: number): number;
}
export interface JsonNumber extends Span {
  kind: 'number';
  value: number;
  raw: string;
  integer: boolean;
}
export interface JsonBoolean extends Span {
  kind: 'boolean';
  value: boolean;
}
export interface JsonNull extends Span {
  kind: 'null';
}

export type JsonParseResult = { ok: true; root: JsonNode } | { ok: false; offset: number; message: string };

/** Nesting deeper than this is refused rather than risking the call stack (configuration documents are shallow). */
const MAX_DEPTH = 256;

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

export function parseJsonDocument(text: string): JsonParseResult {
  const parser = new Parser(text);
  try {
    parser.skipSpace();
    const root = parser.value(0);
    parser.skipSpace();
    if (parser.pos < text.length) throw new JsonSyntaxError(parser.pos, `unexpected ${describe(text, parser.pos)} after the JSON value`);
    return { ok: true, root };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, offset: error.offset, message: error.message };
    throw error;
  }
}

export function toPlain(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const entry of node.entries) out[entry.key] = toPlain(entry.value);
      return out;
    }
    case 'array':
      return node.items.map(toPlain);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

/** The JSON type name used in messages ("expected a string, found a number"). */
export function jsonKindName(node: JsonNode): string {
  if (node.kind === 'number') return node.integer ? 'an integer' : 'a number';
  return node.kind === 'object' || node.kind === 'array' ? `an ${node.kind}` : node.kind === 'null' ? 'null' : `a ${node.kind}`;
}

function describe(text: string, pos: number): string {
  return pos >= text.length ? 'end of text' : `character ${JSON.stringify(text[pos])}`;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(this.pos, `JSON nested deeper than ${MAX_DEPTH} levels`);
    const start = this.pos;
    const c = this.text[start];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, node] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (this.text.startsWith(word, start)) {
        this.pos += word.length;
        return { ...node, offset: start, end: this.pos } as JsonNode;
      }
    }
    throw new JsonSyntaxError(start, `expected a JSON value, found ${describe(this.text, start)}`);
  }

  private object(depth: number): JsonObject {
    const offset = this.pos++;
    const entries: JsonEntry[] = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') return { kind: 'object', offset, end: ++this.pos, entries };
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') throw new JsonSyntaxError(this.pos, `expected a member name in double quotes, found ${describe(this.text, this.pos)}`);
      const keyNode = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') throw new JsonSyntaxError(this.pos, `expected ':' after the member name, found ${describe(this.text, this.pos)}`);
      this.pos++;
      this.skipSpace();
      entries.push({ key: keyNode.value, keyOffset: keyNode.offset, keyNode, value: this.value(depth + 1) });
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === '}') return { kind: 'object', offset, end: this.pos, entries };
      if (next !== ',') throw new JsonSyntaxError(this.pos - 1, `expected ',' or '}' in the object, found ${describe(this.text, this.pos - 1)}`);
    }
  }

  private array(depth: number): JsonArray {
    const offset = this.pos++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') return { kind: 'array', offset, end: ++this.pos, items };
    for (;;) {
      this.skipSpace();
      items.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === ']') return { kind: 'array', offset, end: this.pos, items };
      if (next !== ',') throw new JsonSyntaxError(this.pos - 1, `expected ',' or ']' in the array, found ${describe(this.text, this.pos - 1)}`);
    }
  }

  private string(): JsonString {
    const text = this.text;
    const offset = this.pos++;
    let value = '';
    // Offsets of decoded code units, only needed once an escape makes decoded and source positions differ.
    let map: number[] | undefined;
    for (;;) {
      const c = text[this.pos];
      if (c === undefined) throw new JsonSyntaxError(offset, 'unterminated string (no closing double quote)');
      if (c === '"') break;
      if (c < ' ')
        throw new JsonSyntaxError(
          this.pos,
          `control character U+${c.charCodeAt(0).toString(16).padStart(4, '0')} in a string: write it as an escape such as \\n`,
        );
      if (c !== '\\') {
        map?.push(this.pos);
        value += c;
        this.pos++;
        continue;
      }
      map ??= Array.from(value, (_, i) => offset + 1 + i);
      const escapeStart = this.pos;
      const e = text[this.pos + 1];
      if (e === 'u') {
        const hex = text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError(escapeStart, 'a \\u escape needs four hexadecimal digits');
        value += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else if (e !== undefined && e in ESCAPES) {
        value += ESCAPES[e];
        this.pos += 2;
      } else {
        throw new JsonSyntaxError(escapeStart, `invalid escape \\${e ?? ''} in a string (valid: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`);
      }
      map.push(escapeStart);
    }
    const end = ++this.pos;
    const closing = end - 1;
    const positions = map;
    const sourceOffset = positions
      ? (i: number): number => (i >= 0 && i < positions.length ? positions[i]! : closing)
      : (i: number): number => (i >= 0 && i < value.length ? offset + 1 + i : closing);
    return { kind: 'string', offset, end, value, sourceOffset };
  }

  private number(): JsonNumber {
    const offset = this.pos;
    NUMBER.lastIndex = offset;
    const match = NUMBER.exec(this.text);
    if (!match) throw new JsonSyntaxError(offset, 'invalid number: expected a digit after the minus sign');
    const raw = match[0];
    this.pos += raw.length;
    const next = this.text[this.pos];
    if (next !== undefined && /[0-9.eE]/.test(next))
      throw new JsonSyntaxError(this.pos, `invalid number ${JSON.stringify(raw + next)} (no leading zeros; a digit must follow '.' and 'e')`);
    return { kind: 'number', offset, end: this.pos, value: Number(raw), raw, integer: match[1] === undefined && match[2] === undefined };
  }
}
