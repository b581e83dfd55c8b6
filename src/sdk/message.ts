/**
 * What an operator sees of an item: a message with its payload as bytes, text or JSON, its topic, user properties
 * and timestamp. Fields are decoded on first use, so a filter that reads only the payload pays for nothing else.
 */
import { utf8Decode, utf8Encode } from './utf8.js';

/** The hybrid logical clock of an item: wall time in seconds and nanoseconds, a counter, the node that set it. */
export interface Timestamp {
  secs: number;
  nanos: number;
  counter: number;
  nodeId: string;
}

/** Milliseconds since the epoch of a timestamp (its wall-clock part). */
export function timestampMillis(timestamp: Timestamp): number {
  return timestamp.secs * 1000 + Math.floor(timestamp.nanos / 1e6);
}

/** A timestamp at these milliseconds since the epoch, counter 0. */
export function timestampAt(millis: number, nodeId = 'aio-sdk'): Timestamp {
  const secs = Math.floor(millis / 1000);
  return { secs, nanos: Math.round((millis - secs * 1000) * 1e6), counter: 0, nodeId };
}

/** The fields an operator may set on its output; every field left out is copied from the input. */
export interface MessageUpdate {
  /** New payload: bytes, or text (written as UTF-8). */
  payload?: Uint8Array | string;
  /** New payload as JSON (sets the content type to application/json unless `contentType` is given). */
  json?: unknown;
  topic?: string;
  /** Replaces all user properties. */
  userProperties?: Record<string, string>;
  /** Replaces all user properties, in order, repeated keys allowed (wins over `userProperties`). */
  userPropertyList?: Array<[string, string]>;
  contentType?: string;
}

/** Where a message's fields come from: the WIT item (lazily) or plain values (tests, outputs). */
export interface MessageSource {
  payload(): Uint8Array;
  topic(): string;
  userProperties(): Array<[string, string]>;
  contentType(): string | undefined;
  timestamp(): Timestamp;
  /** False for a bare payload (the WIT `buffer-or-bytes` case): no topic, properties or timestamp of its own. */
  readonly isMessage: boolean;
}

/** How a message was made from another by `with`: lets the binding hand back the fields the update left alone as they came. */
export interface Derivation {
  readonly base: Message;
  readonly update: MessageUpdate;
}

export class Message {
  /*
   * Declared, not defined as class fields: QuickJS defines every class field on each construction, and inside a
   * component that was a third of what decoding an item cost. The cached values appear when first read.
   */
  declare private cachedPayload: Uint8Array | undefined;
  declare private cachedText: string | undefined;
  declare private cachedTopic: string | undefined;
  declare private cachedProperties: Array<[string, string]> | undefined;
  declare private cachedTimestamp: Timestamp | undefined;
  declare private readonly source: MessageSource;
  /** Set by `with`: the message this one was made from, and the update applied. */
  declare readonly derivation: Derivation | undefined;

  constructor(source: MessageSource, derivation?: Derivation) {
    this.source = source;
    if (derivation !== undefined) this.derivation = derivation;
  }

  /** A message made of plain values, for unit tests and for building outputs. */
  static of(fields: MessageUpdate & { timestamp?: Timestamp }): Message {
    const payload = payloadBytes(fields) ?? new Uint8Array();
    const properties = fields.userPropertyList ?? Object.entries(fields.userProperties ?? {});
    const contentType = fields.contentType ?? (fields.json !== undefined ? 'application/json' : undefined);
    const timestamp = fields.timestamp ?? timestampAt(0);
    return new Message({
      payload: () => payload,
      topic: () => fields.topic ?? '',
      userProperties: () => properties,
      contentType: () => contentType,
      timestamp: () => timestamp,
      isMessage: true,
    });
  }

  /** The payload bytes. */
  get payload(): Uint8Array {
    return (this.cachedPayload ??= this.source.payload());
  }

  /** True when the payload is empty (an accumulate's first staged value). */
  get isEmpty(): boolean {
    return this.payload.length === 0;
  }

  /** The payload as UTF-8 text. */
  text(): string {
    return (this.cachedText ??= utf8Decode(this.payload));
  }

  /** The payload parsed as JSON; `fallback` when the payload is empty. Throws on a payload that is not JSON. */
  json<T = unknown>(fallback?: T): T {
    if (this.isEmpty && fallback !== undefined) return fallback;
    return JSON.parse(this.text()) as T;
  }

  get topic(): string {
    return (this.cachedTopic ??= this.source.topic());
  }

  /** User properties as a plain object; when a key repeats, the last value wins (see `userPropertyList`). */
  get userProperties(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of this.userPropertyList) out[key] = value;
    return out;
  }

  /** Every user property in order, repeated keys included. */
  get userPropertyList(): Array<[string, string]> {
    return (this.cachedProperties ??= this.source.userProperties());
  }

  get contentType(): string | undefined {
    return this.source.contentType();
  }

  get timestamp(): Timestamp {
    return (this.cachedTimestamp ??= this.source.timestamp());
  }

  /** False for a bare payload without topic, properties or timestamp (rare: the WIT `buffer-or-bytes` item). */
  get isMessage(): boolean {
    return this.source.isMessage;
  }

  /** This message with some fields replaced. */
  with(update: MessageUpdate): Message {
    const source = new Updated(this, update);
    return new Message(source, source);
  }
}

/** The source of a message made by `with`: the update's fields, the rest from the base. A class, not closures: maps run it for every item. */
class Updated implements MessageSource, Derivation {
  // Declared, not class fields (see Message).
  declare readonly base: Message;
  declare readonly update: MessageUpdate;
  declare readonly isMessage: boolean;
  declare private readonly newPayload: Uint8Array | undefined;
  declare private readonly newContentType: string | undefined;

  constructor(base: Message, update: MessageUpdate) {
    this.base = base;
    this.update = update;
    this.isMessage = base.isMessage;
    this.newPayload = payloadBytes(update);
    this.newContentType = update.contentType ?? (update.json !== undefined ? 'application/json' : undefined);
  }

  payload(): Uint8Array {
    return this.newPayload ?? this.base.payload;
  }

  topic(): string {
    return this.update.topic ?? this.base.topic;
  }

  userProperties(): Array<[string, string]> {
    const { userPropertyList, userProperties } = this.update;
    return userPropertyList ?? (userProperties ? Object.entries(userProperties) : this.base.userPropertyList);
  }

  contentType(): string | undefined {
    return this.newContentType ?? this.base.contentType;
  }

  timestamp(): Timestamp {
    return this.base.timestamp;
  }
}

function payloadBytes(update: MessageUpdate): Uint8Array | undefined {
  if (update.json !== undefined) return utf8Encode(JSON.stringify(update.json));
  if (typeof update.payload === 'string') return utf8Encode(update.payload);
  return update.payload;
}
