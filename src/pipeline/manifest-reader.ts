import { isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { finding, type Finding, type Position } from '../diagnostics.js';
import { didYouMean } from '../util/suggest.js';
import { positionOf, resolveNode, type SourceDocument } from '../yaml/parse-document.js';
import { keyOf, valueOf } from '../yaml/node-readers.js';
import type { Located } from './model.js';

/**
 * Reads a manifest's YAML tree field by field, reporting a missing required field, a wrong type or an unknown key
 * where it is written, and carrying on: the user sees every shape problem and every rule finding in one run.
 */
export class ManifestReader {
  readonly findings: Finding[] = [];

  constructor(readonly source: SourceDocument) {}

  at(node: Node | null | undefined, fallback?: Position): Position {
    return positionOf(this.source, node, fallback);
  }

  /** Where a key of `map` is written (its value's position when the key is absent: the mapping's start). */
  keyAt(map: YAMLMap, key: string): Position {
    return this.at(keyOf(map, key) ?? map);
  }

  map(node: unknown, path: string, required: boolean, parent?: YAMLMap): YAMLMap | null {
    return this.typed(node, path, required, parent, 'a mapping', isMap) as YAMLMap | null;
  }

  seq(node: unknown, path: string, required: boolean, parent?: YAMLMap): YAMLSeq | null {
    return this.typed(node, path, required, parent, 'a list', isSeq) as YAMLSeq | null;
  }

  /** `map[key]` as a string with its position; absent, null or of another type is reported. */
  string(map: YAMLMap | null, key: string, path: string, required: boolean): Located<string> | undefined {
    if (map === null) return undefined;
    const node = valueOf(this.source, map, key);
    if (node === null || (isScalar(node) && node.value === null)) {
      this.missing(map, key, path, required);
      return undefined;
    }
    return this.stringValue(node, path);
  }

  /** A node that must be a string. A number or boolean is reported: the CRD and ARM want strings, YAML guessed. */
  stringValue(node: Node | null, path: string): Located<string> | undefined {
    if (node === null) return undefined;
    if (isScalar(node) && typeof node.value === 'string') return { value: node.value, pos: this.at(node) };
    if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean')) {
      const written = this.source.text.slice(node.range?.[0] ?? 0, node.range?.[1] ?? 0);
      this.findings.push(
        finding(
          'error',
          'AIO_PIPELINE_TYPE',
          this.at(node),
          `${path} must be a string; YAML reads ${written} as a ${typeof node.value}`,
          `quote it: "${written}"`,
        ),
      );
      return { value: String(node.value), pos: this.at(node) };
    }
    this.findings.push(finding('error', 'AIO_PIPELINE_TYPE', this.at(node), `${path} must be a string, not ${describe(node)}`));
    return undefined;
  }

  /** `map[key]` when it is a boolean; a wrong type is reported. */
  boolean(map: YAMLMap, key: string, path: string): boolean | undefined {
    const node = valueOf(this.source, map, key);
    if (node === null) return undefined;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.findings.push(finding('error', 'AIO_PIPELINE_TYPE', this.at(node), `${path} must be true or false`));
    return undefined;
  }

  /** Reports keys outside `allowed` (a warning: the cluster would reject or drop them, and a typo loses a setting). */
  knownKeys(map: YAMLMap | null, allowed: readonly string[], path: string, explain: (key: string) => string | undefined = () => undefined): void {
    for (const pair of map?.items ?? []) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || allowed.includes(key)) continue;
      const hint = explain(key) ?? didYouMean(key, allowed) ?? `allowed here: ${allowed.join(', ')}`;
      this.findings.push(finding('warning', 'AIO_PIPELINE_UNKNOWN_FIELD', this.at(pair.key as Node), `${path} has no field "${key}"; it is ignored`, hint));
    }
  }

  items(seq: YAMLSeq | null): Array<{ node: Node | null; index: number }> {
    return (seq?.items ?? []).map((item, index) => ({ node: resolveNode(this.source, item), index }));
  }

  private typed(node: unknown, path: string, required: boolean, parent: YAMLMap | undefined, what: string, test: (n: unknown) => boolean): Node | null {
    const resolved = resolveNode(this.source, node);
    if (resolved === null || (isScalar(resolved) && resolved.value === null)) {
      if (required) {
        const at = parent === undefined ? this.at(resolved) : this.keyAt(parent, lastSegment(path));
        this.findings.push(finding('error', 'AIO_PIPELINE_REQUIRED', at, `${path} is required`));
      }
      return null;
    }
    if (test(resolved)) return resolved;
    this.findings.push(finding('error', 'AIO_PIPELINE_TYPE', this.at(resolved), `${path} must be ${what}, not ${describe(resolved)}`));
    return null;
  }

  private missing(map: YAMLMap, key: string, path: string, required: boolean): void {
    if (!required) return;
    const keyNode = keyOf(map, key);
    const message = keyNode === undefined ? `${path} is required` : `${path} is empty`;
    this.findings.push(finding('error', 'AIO_PIPELINE_REQUIRED', this.at(keyNode ?? map), message));
  }
}

function describe(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : `the ${typeof node.value} ${JSON.stringify(node.value)}`;
  return 'this value';
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}
