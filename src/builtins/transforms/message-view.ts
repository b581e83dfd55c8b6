/**
 * One message as the rules of a built-in read it: the payload is parsed once, on first use (a filter on
 * `$metadata.topic` never parses it), the topic decoded once, and dataset matches are remembered for the message.
 * Field paths are walked here: `a.b` reads member `b` of object `a`; arrays are leaves (no index syntax).
 */
import { ExpressionError, type FieldPath, type PathSegment } from '../expression/api.js';
import { JsonFloat, parseJson } from '../expression/json-text.js';
import type { Message } from '../../engine/message.js';

const decoder = new TextDecoder();

interface Parsed {
  value: unknown;
  floats: boolean;
}

/**
 * The payload a built-in encoded last, with the object behind it: the engine hands an emitted item downstream at
 * once, so the next built-in on the path reads the object instead of parsing the text again. Matched by the bytes'
 * identity (a copied or rewritten payload is parsed as usual); no built-in writes into a payload it read.
 */
let lastWritten: (Parsed & { bytes: Uint8Array }) | undefined;

/** Remembers the object behind payload bytes a built-in just encoded. */
export function rememberPayload(bytes: Uint8Array, value: unknown, floats: boolean): void {
  lastWritten = { bytes, value, floats };
}

export class MessageView {
  private parsed: Parsed | undefined;
  private topicText: string | undefined;
  private matches: Map<string, Record<string, unknown> | null> | undefined;

  constructor(readonly message: Message) {}

  /** The parsed payload; a payload that is not JSON fails the message. Never write into it. */
  get payload(): unknown {
    return this.parse().value;
  }

  /** Whether the payload may hold JsonFloat boxes (an integral float was written, e.g. `23.0`). */
  get payloadFloats(): boolean {
    return this.parse().floats;
  }

  /** Dataset matches by alias (null: no record matched), filled by the node's DatasetMatcher. */
  get contexts(): Map<string, Record<string, unknown> | null> {
    this.matches ??= new Map();
    return this.matches;
  }

  private parse(): Parsed {
    if (this.parsed === undefined) {
      if (lastWritten !== undefined && lastWritten.bytes === this.message.payload) this.parsed = lastWritten;
      else {
        try {
          this.parsed = parseJson(decoder.decode(this.message.payload));
        } catch (error) {
          throw new ExpressionError(`the payload is not JSON (${(error as Error).message})`);
        }
      }
    }
    return this.parsed;
  }

  get topic(): string {
    this.topicText ??= decoder.decode(this.message.topic);
    return this.topicText;
  }

  /** A metadata item's value, or undefined when the message has none. */
  metadata(path: Extract<FieldPath, { kind: 'metadata' }>): string | undefined {
    switch (path.field) {
      case 'topic':
        return this.topic;
      case 'content_type':
        return this.message.contentType;
      default:
        // Kafka headers and MQTT user properties are one list in the emulator's message; the first of a repeated key.
        return this.message.userProperties.find(([key]) => key === path.key)?.[1];
    }
  }
}

/** A plain JSON object (not an array, not a float box). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonFloat);
}

/** The value at `segments` below `root`, or undefined when a step is missing. Wildcard segments never match here. */
export function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (segment.kind !== 'name' || !isJsonObject(current) || !Object.hasOwn(current, segment.name)) return undefined;
    current = current[segment.name];
  }
  return current;
}

/** Same for plain segment names (resolved wildcard paths). */
export function valueAtNames(root: unknown, names: readonly string[]): unknown {
  let current = root;
  for (const name of names) {
    if (!isJsonObject(current) || !Object.hasOwn(current, name)) return undefined;
    current = current[name];
  }
  return current;
}
