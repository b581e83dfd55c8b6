import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { pairOf, resolveNode, type SourceDocument } from './parse-document.js';

/**
 * Small lenient readers over a parsed YAML tree, shared by the graph-definition and DataflowGraph-manifest model
 * builders: each returns undefined/null for what is absent or of the wrong shape, so the schema checks report it
 * and model building carries on.
 */

export function asMap(source: SourceDocument, node: unknown): YAMLMap | null {
  const resolved = resolveNode(source, node);
  return isMap(resolved) ? resolved : null;
}

export function valueOf(source: SourceDocument, map: YAMLMap | null, key: string): Node | null {
  if (map === null) return null;
  const pair = pairOf(map, key);
  return pair === undefined ? null : resolveNode(source, pair.value);
}

export function keyOf(map: YAMLMap, key: string): Node | undefined {
  return pairOf(map, key)?.key;
}

/** A scalar's value when it is a string; null and other types read as absent (the schema reports wrong types). */
export function scalarString(source: SourceDocument, node: Node | null): string | undefined {
  const resolved = resolveNode(source, node);
  return isScalar(resolved) && typeof resolved.value === 'string' ? resolved.value : undefined;
}

/** A scalar as text whatever its type, for names: `name: 42` is reported by the schema but still links up. */
export function scalarText(source: SourceDocument, node: Node | null): string | undefined {
  const resolved = resolveNode(source, node);
  return isScalar(resolved) && resolved.value !== null && resolved.value !== undefined ? String(resolved.value) : undefined;
}
