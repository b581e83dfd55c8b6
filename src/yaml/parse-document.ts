import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair, type YAMLError, type YAMLMap } from 'yaml';
import { finding, type Finding, type Position } from '../diagnostics.js';
import { errorMessage } from '../errors.js';

/**
 * Aliases beyond this count are refused when converting to plain values: a "billion laughs" document expands
 * exponentially through nested aliases. Real graph files use none.
 */
export const MAX_ALIAS_COUNT = 100;

/** A parsed YAML document plus what is needed to turn nodes back into line:column positions. */
export interface SourceDocument {
  /** The text the document was parsed from, for quoting a value as written. */
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export type ParsedYaml = { ok: true; source: SourceDocument; value: unknown; findings: Finding[] } | { ok: false; findings: Finding[] };

/** yaml's error codes, translated to ours with a hint a user can act on. */
const YAML_ERRORS: Record<string, { code: string; hint?: string }> = {
  DUPLICATE_KEY: { code: 'AIO_YAML_DUPLICATE_KEY', hint: 'remove or rename one of the keys; YAML keeps only one' },
  TAB_AS_INDENT: { code: 'AIO_YAML_TAB_INDENT', hint: 'indent with spaces; YAML does not allow tabs for indentation' },
  BAD_INDENT: { code: 'AIO_YAML_SYNTAX', hint: 'check the indentation of this line against its siblings' },
  MULTIPLE_DOCS: { code: 'AIO_YAML_MULTIPLE_DOCUMENTS', hint: 'keep one document per file' },
};

/**
 * Parses YAML text keeping source positions. Returns every syntax problem as a finding; never throws on user input.
 */
export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true }) as Document.Parsed[];
  } catch (error) {
    // The parser reports problems as document errors; a throw here would be a defect in it. Still, never crash.
    return { ok: false, findings: [finding('error', 'AIO_YAML_SYNTAX', { line: 1, column: 1 }, `YAML parser failed: ${String(error)}`)] };
  }
  if (docs.length === 0 || (docs.length === 1 && docs[0]!.contents === null && docs[0]!.errors.length === 0)) {
    return {
      ok: false,
      findings: [finding('error', 'AIO_YAML_EMPTY', { line: 1, column: 1 }, 'file is empty', 'write a graph definition; see `aio graph validate --help`')],
    };
  }
  const doc = docs[0]!;
  const findings: Finding[] = [];
  for (const error of doc.errors) findings.push(fromYamlError(error, lines, 'error'));
  for (const warning of doc.warnings) findings.push(fromYamlError(warning, lines, 'warning'));
  if (docs.length > 1) {
    const second = docs[1]!;
    findings.push(
      finding(
        'error',
        'AIO_YAML_MULTIPLE_DOCUMENTS',
        positionAt(lines, second.range[0]),
        `file holds ${docs.length} YAML documents; only one is allowed`,
        'split the documents into separate files',
      ),
    );
  }
  if (findings.some((f) => f.severity === 'error')) return { ok: false, findings };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = errorMessage(error);
    const code = /alias/i.test(message) ? 'AIO_YAML_ALIAS_LIMIT' : 'AIO_YAML_SYNTAX';
    const hint = code === 'AIO_YAML_ALIAS_LIMIT' ? `write the values out; at most ${MAX_ALIAS_COUNT} alias expansions are allowed` : undefined;
    findings.push(finding('error', code, firstAliasPosition({ text, doc, lines }), `cannot expand YAML aliases: ${message}`, hint));
    return { ok: false, findings };
  }
  return { ok: true, source: { text, doc, lines }, value, findings };
}

function fromYamlError(error: YAMLError, lines: LineCounter, severity: 'error' | 'warning'): Finding {
  const mapped = YAML_ERRORS[error.code];
  const at = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
  const message = firstLine(error.message);
  return finding(
    severity,
    mapped?.code ?? (severity === 'error' ? 'AIO_YAML_SYNTAX' : 'AIO_YAML_WARNING'),
    { line: at.line, column: at.col },
    message,
    mapped?.hint,
  );
}

/** yaml appends a code excerpt to its messages; our diagnostics are one line. */
function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
}

export function positionAt(lines: LineCounter, offset: number): Position {
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** Position of a node; aliases report where the alias is written, which is where the user looks. */
export function positionOf(source: SourceDocument, node: Node | null | undefined, fallback: Position = { line: 1, column: 1 }): Position {
  const start = node?.range?.[0];
  return start === undefined ? fallback : positionAt(source.lines, start);
}

/** Follows an alias to the node it names, so model building sees through anchors. */
export function resolveNode(source: SourceDocument, node: unknown): Node | null {
  if (isAlias(node)) {
    const target = node.resolve(source.doc);
    return (target as Node | undefined) ?? null;
  }
  return (node as Node | null) ?? null;
}

/** The key/value pair named `key` in a mapping, or undefined. */
export function pairOf(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key) as Pair<Node, Node | null> | undefined;
}

/** Resolves `path` (keys and indexes) to a node, for mapping schema errors back to positions. */
export function nodeAtPath(source: SourceDocument, path: ReadonlyArray<string | number>): { node: Node | null; keyNode?: Node } {
  let current: Node | null = resolveNode(source, source.doc.contents);
  let keyNode: Node | undefined;
  for (const segment of path) {
    if (isMap(current)) {
      const pair = pairOf(current, String(segment));
      if (pair === undefined) break;
      keyNode = pair.key;
      current = resolveNode(source, pair.value);
      if (current === null) return { node: null, keyNode };
    } else if (isSeq(current) && typeof segment === 'number') {
      const item: unknown = current.items[segment];
      if (item === undefined) break;
      keyNode = undefined;
      current = resolveNode(source, item);
    } else {
      break;
    }
  }
  return keyNode === undefined ? { node: current } : { node: current, keyNode };
}

/** The node's text exactly as written in the file (e.g. `1.10` rather than the number 1.1). */
export function sourceText(source: SourceDocument, node: Node | null | undefined): string | undefined {
  const range = node?.range;
  return range === undefined || range === null ? undefined : source.text.slice(range[0], range[1]);
}

function firstAliasPosition(source: SourceDocument): Position {
  let found: Position | undefined;
  const visit = (node: unknown): void => {
    if (found !== undefined || node === null || node === undefined) return;
    if (isAlias(node)) {
      found = positionOf(source, node);
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isMap(node)) {
          const pair = item as Pair;
          visit(pair.key);
          visit(pair.value);
        } else {
          visit(item);
        }
      }
    }
  };
  visit(source.doc.contents);
  return found ?? { line: 1, column: 1 };
}
