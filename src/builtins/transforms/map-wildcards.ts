/**
 * Resolving a wildcard map rule against one message (spec §3.1.4): the first input's `*` matches one or more
 * segments; each match (capture) is one instance of the rule. With nothing after the `*` the matches are the leaves
 * below the prefix (an object with members is not a leaf; arrays and empty objects are); with a suffix they are
 * the paths ending in it (`*.Max`). The capture is substituted into the other inputs and the output, and its length
 * is the instance's rank. Matches come in the payload's member order.
 */
import type { PathSegment } from '../expression/api.js';
import { isJsonObject, valueAtNames } from './message-view.js';

/** A path split around its `*`: the names before and after it. */
export interface WildcardPattern {
  prefix: string[];
  suffix: string[];
}

/** The pattern of a path that holds a `*`, or undefined for a plain path. */
export function wildcardPattern(segments: readonly PathSegment[]): WildcardPattern | undefined {
  const at = segments.findIndex((segment) => segment.kind === 'wildcard');
  if (at === -1) return undefined;
  const names = (list: readonly PathSegment[]): string[] => list.map((segment) => (segment as { name: string }).name);
  return { prefix: names(segments.slice(0, at)), suffix: names(segments.slice(at + 1)) };
}

/** The concrete path for a capture. */
export function substitute(pattern: WildcardPattern, capture: readonly string[]): string[] {
  return [...pattern.prefix, ...capture, ...pattern.suffix];
}

export interface Match {
  capture: string[];
  value: unknown;
}

/** Every match of `pattern` in `root`, in member order. */
export function matchesOf(root: unknown, pattern: WildcardPattern): Match[] {
  const base = valueAtNames(root, pattern.prefix);
  const matches: Match[] = [];
  if (!isJsonObject(base)) return matches;
  const { suffix } = pattern;
  const walk = (object: Record<string, unknown>, path: string[]): void => {
    for (const key of Object.keys(object)) {
      const child = object[key];
      const childPath = [...path, key];
      const branches = isJsonObject(child) && Object.keys(child).length > 0;
      if (suffix.length === 0) {
        if (branches) walk(child, childPath);
        else matches.push({ capture: childPath, value: child });
        continue;
      }
      if (childPath.length > suffix.length && endsWith(childPath, suffix))
        matches.push({ capture: childPath.slice(0, childPath.length - suffix.length), value: child });
      if (branches) walk(child, childPath);
    }
  };
  walk(base, []);
  return matches;
}

function endsWith(path: readonly string[], suffix: readonly string[]): boolean {
  const offset = path.length - suffix.length;
  for (let i = 0; i < suffix.length; i++) if (path[offset + i] !== suffix[i]) return false;
  return true;
}
