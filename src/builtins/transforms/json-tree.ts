/**
 * Building a map's output object: writing at a path (creating objects on the way), deleting a path (and the
 * objects a deletion leaves empty), and copying a JSON value so two outputs never share one object.
 */
import { ExpressionError } from '../expression/api.js';
import { JsonFloat } from '../expression/json-text.js';
import { isJsonObject } from './message-view.js';

/** Sets an own member, `__proto__` included (as JSON.parse makes it), never the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Writes `value` at `segments`; a later write to the same path replaces the earlier one. */
export function writeAt(root: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let current = root;
  const last = segments.length - 1;
  for (let i = 0; i < last; i++) {
    const name = segments[i]!;
    const next = Object.hasOwn(current, name) ? current[name] : undefined;
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      setOwn(current, name, created);
      current = created;
    } else if (isJsonObject(next)) current = next;
    else throw new ExpressionError(`cannot write ${segments.join('.')}: ${segments.slice(0, i + 1).join('.')} already holds a value that is not an object`);
  }
  setOwn(current, segments[last]!, value);
}

/** Deletes the member at `segments`, then every parent the deletion left empty. */
export function deleteAt(root: Record<string, unknown>, segments: readonly string[]): void {
  const chain: Array<Record<string, unknown>> = [root];
  for (let i = 0; i < segments.length - 1; i++) {
    const next = chain[i]![segments[i]!];
    if (!isJsonObject(next)) return;
    chain.push(next);
  }
  for (let i = segments.length - 1; i >= 0; i--) {
    const parent = chain[i]!;
    delete parent[segments[i]!];
    if (i === 0 || Object.keys(parent).length > 0) return;
  }
}

/** Member name → `true` (leave the member out) or the paths to leave out below it. */
export type ExcludedPaths = Map<string, ExcludedPaths | true>;

/**
 * A deep copy of an object without the excluded paths; an object that only held excluded members is left out too
 * (as deleting its last member would prune it).
 */
export function copyExcluding(value: Record<string, unknown>, excluded: ExcludedPaths): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const rule = excluded.get(key);
    if (rule === true) continue;
    const child = value[key];
    if (rule === undefined || !isJsonObject(child)) setOwn(copy, key, copyJson(child));
    else {
      const inner = copyExcluding(child, rule);
      if (Object.keys(inner).length > 0 || Object.keys(child).length === 0) setOwn(copy, key, inner);
    }
  }
  return copy;
}

/** A deep copy of objects and arrays (JsonFloat boxes are immutable and shared). */
export function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || value instanceof JsonFloat) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(copy, key, copyJson((value as Record<string, unknown>)[key]));
  return copy;
}
