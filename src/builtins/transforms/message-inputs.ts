/**
 * Reads a rule's inputs (spec builtin-transforms.md §2.2–§2.3, §4.8) from one message: payload fields and
 * `$metadata` paths, then `? $last` (the value remembered from the last message that had the field), then the
 * `??` default; what is still missing reads as Empty. A JSON null counts as missing (spec §2.3 recommendation).
 * One InputReader per rule and engine node, so last-known values are kept per (node, rule, input) and a new run
 * starts without them, as a restarted cluster instance does.
 */
import type { InputSpec, PathSegment, Value } from '../expression/api.js';
import { EMPTY, fromJson } from '../expression/values.js';
import type { Message } from '../../engine/message.js';

const utf8 = new TextDecoder();

/** The value at a payload path, or undefined when a segment is absent, null, or not inside an object. */
export function payloadField(payload: unknown, segments: readonly PathSegment[]): Value | undefined {
  let node = payload;
  for (const segment of segments) {
    if (segment.kind !== 'name' || typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[segment.name];
  }
  return node === undefined || node === null ? undefined : fromJson(node);
}

/**
 * A payload or metadata field of the message, or undefined when missing. `$metadata.user_property.<key>` reads the
 * first property with that key (MQTT allows repeats); `$metadata.header.<key>` (Kafka headers) is always missing
 * locally, since the emulator's sources are MQTT. Dataset paths are not read here: rules that use them are refused
 * or resolved before (window triggers refuse `$context`).
 */
export function messageField(spec: InputSpec, message: Message, payload: unknown): Value | undefined {
  const path = spec.path;
  if (path.kind === 'payload') return payloadField(payload, path.segments);
  if (path.kind !== 'metadata') return undefined;
  switch (path.field) {
    case 'topic':
      return { type: 'string', value: utf8.decode(message.topic) };
    case 'content_type':
      return message.contentType === undefined ? undefined : { type: 'string', value: message.contentType };
    case 'user_property': {
      const property = message.userProperties.find(([key]) => key === path.key);
      return property === undefined ? undefined : { type: 'string', value: property[1] };
    }
    case 'header':
      return undefined;
  }
}

export class InputReader {
  private readonly last: Array<Value | undefined>;

  constructor(private readonly specs: readonly InputSpec[]) {
    this.last = specs.map(() => undefined);
  }

  /** `$1..$n` for this message. */
  read(message: Message, payload: unknown): Value[] {
    return this.specs.map((spec, i) => {
      const value = messageField(spec, message, payload);
      if (value !== undefined) {
        if (spec.last) this.last[i] = value;
        return value;
      }
      return (spec.last ? this.last[i] : undefined) ?? spec.fallback ?? EMPTY;
    });
  }
}
