import type { Position } from '../../src/diagnostics.js';

/**
 * Where `needle` is written in `text` (its `nth` occurrence; -1 for the last), as a 1-based line:column: what a
 * finding must point at.
 */
export function positionOf(text: string, needle: string, nth = 0): Position {
  let index = nth < 0 ? text.lastIndexOf(needle) : -1;
  for (let i = 0; i <= nth; i++) {
    index = text.indexOf(needle, index + 1);
    if (index === -1) break;
  }
  if (index === -1) throw new Error(`"${needle}" does not occur ${nth < 0 ? 'at all' : `${nth + 1} times`}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
