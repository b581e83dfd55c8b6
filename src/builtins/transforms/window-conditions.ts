/**
 * Reads the closing conditions of a window (spec builtin-transforms.md §3.5): `delay` (1.0.0 and 1.1.0), `count`,
 * `memory` and `triggers` (1.1.0 only). Each condition's `type` must be the one value its key allows, limits are
 * whole numbers above 0, and a 1.1.0 window must name at least one condition (the 60 s duration is armed anyway).
 */
import type { JsonNode, JsonString } from '../config/json-document.js';
import type { ConfigReader, Members } from '../config/config-reader.js';

export type BoundaryMessage = 'messageInCurrent' | 'messageInNext';

/** A count or memory limit. */
export interface LimitCondition {
  limit: number;
  boundary: BoundaryMessage;
}

/** The duration that closes a 1.1.0 window when `delay` is not configured (a safety valve, WINDOW 1.1.0). */
export const DEFAULT_DURATION_MS = 60_000;

const BOUNDARIES: readonly string[] = ['messageInCurrent', 'messageInNext'];

/** Checks `type` and returns the members, or undefined when the condition is unusable (already reported). */
export function readCondition(
  reader: ConfigReader,
  key: string,
  node: JsonNode,
  type: string,
  shape: Parameters<ConfigReader['members']>[3],
): Members | undefined {
  const members = reader.members(key, node, key, { type: ['string', true], ...shape });
  if (members === undefined) return undefined;
  const typeNode = members.type as JsonString | undefined;
  if (typeNode !== undefined && typeNode.value !== type) {
    reader.error(
      key,
      typeNode.offset,
      'AIO_BUILTIN_CONDITION_TYPE',
      `${key}.type must be "${type}", found ${JSON.stringify(typeNode.value)}`,
      `write "type": "${type}"`,
    );
    return undefined;
  }
  return typeNode === undefined ? undefined : members;
}

export function readBoundary(reader: ConfigReader, key: string, node: JsonNode | undefined, where: string): BoundaryMessage | undefined {
  if (node?.kind !== 'string') return undefined;
  if (BOUNDARIES.includes(node.value)) return node.value as BoundaryMessage;
  reader.error(
    key,
    node.offset,
    'AIO_BUILTIN_BOUNDARY_MESSAGE',
    `${where}.boundaryMessage must be "messageInCurrent" or "messageInNext", found ${JSON.stringify(node.value)}`,
    'messageInCurrent: the message joins the closing window; messageInNext: it opens the next one',
  );
  return undefined;
}

/** `delay` → the duration in ms, or undefined when absent or invalid. */
export function readDelay(reader: ConfigReader): number | undefined {
  const node = reader.document('delay', false);
  if (node === undefined) return undefined;
  const members = readCondition(reader, 'delay', node, 'duration', { delaySeconds: ['integer', true] });
  const seconds = members?.delaySeconds;
  if (seconds?.kind !== 'number') return undefined;
  const value = reader.positiveInteger('delay', seconds, 'delay.delaySeconds');
  return value === undefined ? undefined : value * 1000;
}

/** `count` (`messageCount`, `maxMessageCount`) or `memory` (`bufferSize`, `maxBufferBytes`). */
export function readLimit(reader: ConfigReader, key: 'count' | 'memory'): LimitCondition | undefined {
  const node = reader.document(key, false);
  if (node === undefined) return undefined;
  const [type, member] = key === 'count' ? ['messageCount', 'maxMessageCount'] : ['bufferSize', 'maxBufferBytes'];
  const members = readCondition(reader, key, node, type, { [member]: ['integer', true], boundaryMessage: ['string', true] });
  const limitNode = members?.[member];
  const limit = limitNode?.kind === 'number' ? reader.positiveInteger(key, limitNode, `${key}.${member}`) : undefined;
  const boundary = readBoundary(reader, key, members?.boundaryMessage, key);
  return limit === undefined || boundary === undefined ? undefined : { limit, boundary };
}
