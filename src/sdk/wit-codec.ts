/**
 * WIT values (wasm-graph:processor@1.1.0 `data-model`, `hybrid-logical-clock`) ↔ the SDK's messages. The two
 * JavaScript component builders lower the same WIT differently: componentize-js passes u64 as BigInt and `none`
 * as undefined, componentize-qjs passes u64 as a number and `none` as null. `Abi` carries that difference; the
 * rest of the SDK never sees it.
 */
import { Message, type MessageSource, type MessageUpdate, type Timestamp } from './message.js';
import { utf8Decode, utf8Encode } from './utf8.js';

export interface Abi {
  /** A u64 as this builder expects it. */
  u64(value: number): unknown;
  /** `none` of an option. */
  readonly none: null | undefined;
}

/* The WIT shapes, as both builders present them (u64 fields may be number or bigint). */
interface Buffer {
  read(): Uint8Array;
}
type BufferOrBytes = { tag: 'buffer'; val: Buffer } | { tag: 'bytes'; val: Uint8Array };
type BufferOrString = { tag: 'buffer'; val: Buffer } | { tag: 'string'; val: string };
type U64 = number | bigint;
interface WitTimestamp {
  timestamp: { secs: U64; nanos: number };
  counter: U64;
  nodeId: BufferOrString;
}
interface WitMessage {
  timestamp: WitTimestamp;
  topic: BufferOrBytes;
  contentType?: BufferOrString | null;
  payload: BufferOrBytes;
  properties: { userProperties: Array<[BufferOrString, BufferOrString]> };
  schema?: WitSchema | null;
}
type WitSchema = { tag: 'registry-reference'; val: BufferOrString } | { tag: 'inline'; val: { name: BufferOrString; content: BufferOrString } };
export type WitDataModel =
  | { tag: 'message'; val: WitMessage }
  | { tag: 'buffer-or-bytes'; val: BufferOrBytes }
  | { tag: 'snapshot'; val: { timestamp: WitTimestamp; frame: BufferOrBytes } };
export interface WitClock {
  timestamp: { secs: U64; nanos: number };
  counter: U64;
  nodeId: string;
}

const bytesOf = (value: BufferOrBytes): Uint8Array => (value.tag === 'buffer' ? value.val.read() : value.val);
const textOf = (value: BufferOrString): string => (value.tag === 'buffer' ? utf8Decode(value.val.read()) : value.val);

export function clockToTimestamp(clock: WitClock): Timestamp {
  return { secs: Number(clock.timestamp.secs), nanos: clock.timestamp.nanos, counter: Number(clock.counter), nodeId: clock.nodeId };
}

/** An item's timestamp (its node id may be a lent buffer), as the SDK's numbers. */
function itemTimestamp(t: WitTimestamp): Timestamp {
  return clockToTimestamp({ timestamp: t.timestamp, counter: t.counter, nodeId: textOf(t.nodeId) });
}

export function timestampToClock(timestamp: Timestamp, abi: Abi): unknown {
  return { timestamp: { secs: abi.u64(timestamp.secs), nanos: timestamp.nanos }, counter: abi.u64(timestamp.counter), nodeId: timestamp.nodeId };
}

/**
 * What `decodeItem` keeps of each item: the WIT value as lent, the call that lent it, and its schema (decoded to
 * strings, so it can ride along unchanged). A field the operator leaves alone goes back as it came: a lent
 * `buffer` handle is handed back (the WIT allows either variant), so it is neither read into the module nor copied
 * out again. Handles are the host's only during the call that lent them: an item from an earlier call is encoded
 * afresh.
 */
interface Decoded {
  call: number;
  item: WitDataModel;
  schema: WitSchema | undefined;
}
const decoded = new WeakMap<Message, Decoded>();
let currentCall = 0;

/** The binding calls this at the start of every `process`: items decoded before are from an earlier call. */
export function startCall(): void {
  currentCall++;
}

/** A message's fields as the lent item's, read on first use. A class, not closures: this runs for every item. */
class LentMessage implements MessageSource {
  // Declared, not class fields (see Message).
  declare readonly isMessage: true;
  declare private readonly m: WitMessage;
  constructor(m: WitMessage) {
    this.m = m;
    this.isMessage = true;
  }
  payload(): Uint8Array {
    return bytesOf(this.m.payload);
  }
  topic(): string {
    return utf8Decode(bytesOf(this.m.topic));
  }
  userProperties(): Array<[string, string]> {
    return this.m.properties.userProperties.map(([k, v]) => [textOf(k), textOf(v)]);
  }
  contentType(): string | undefined {
    return this.m.contentType ? textOf(this.m.contentType) : undefined;
  }
  timestamp(): Timestamp {
    return itemTimestamp(this.m.timestamp);
  }
}

/** A bare payload (or a snapshot's frame): no topic, properties or content type. */
class LentBytes implements MessageSource {
  declare readonly isMessage: false;
  declare private readonly bytes: BufferOrBytes;
  declare private readonly stamp: WitTimestamp | undefined;
  constructor(bytes: BufferOrBytes, stamp: WitTimestamp | undefined) {
    this.bytes = bytes;
    this.stamp = stamp;
    this.isMessage = false;
  }
  payload(): Uint8Array {
    return bytesOf(this.bytes);
  }
  topic(): string {
    return '';
  }
  userProperties(): Array<[string, string]> {
    return [];
  }
  contentType(): undefined {
    return undefined;
  }
  timestamp(): Timestamp {
    return this.stamp ? itemTimestamp(this.stamp) : { secs: 0, nanos: 0, counter: 0, nodeId: '' };
  }
}

/** A WIT item as an SDK message. Handles are read when a field is first used, during the call that lent them. */
export function decodeItem(item: WitDataModel): Message {
  if (item.tag === 'message') {
    const m = item.val;
    const message = new Message(new LentMessage(m));
    decoded.set(message, { call: currentCall, item, schema: m.schema ? plainSchema(m.schema) : undefined });
    return message;
  }
  const message = new Message(new LentBytes(payloadOf(item), item.tag === 'snapshot' ? item.val.timestamp : undefined));
  decoded.set(message, { call: currentCall, item, schema: undefined });
  return message;
}

function payloadOf(item: WitDataModel): BufferOrBytes {
  return item.tag === 'message' ? item.val.payload : item.tag === 'buffer-or-bytes' ? item.val : item.val.frame;
}

/* Which fields of an item an update replaces (see Message.with). */
const PAYLOAD = 1;
const TOPIC = 2;
const CONTENT_TYPE = 4;
const PROPERTIES = 8;

function replacedBy(update: MessageUpdate): number {
  const json = update.json !== undefined;
  return (
    (json || update.payload !== undefined ? PAYLOAD : 0) |
    (update.topic !== undefined ? TOPIC : 0) |
    (json || update.contentType !== undefined ? CONTENT_TYPE : 0) |
    (update.userProperties !== undefined || update.userPropertyList !== undefined ? PROPERTIES : 0)
  );
}

/** Set by `lentOrigin`: the fields the updates between the message and its origin replaced. */
let originReplaced = 0;

/** The item lent in this call that `message` was made from through `with`s (the fields those replaced: `originReplaced`). */
function lentOrigin(message: Message): Decoded | undefined {
  originReplaced = 0;
  for (let m = message; ; ) {
    const item = decoded.get(m);
    if (item !== undefined) return item.call === currentCall ? item : undefined;
    if (m.derivation === undefined) return undefined;
    originReplaced |= replacedBy(m.derivation.update);
    m = m.derivation.base;
  }
}

/** An SDK message as the WIT item to return; `like` is the input it came from (for the schema it carried). */
export function encodeItem(message: Message, abi: Abi, like?: Message): unknown {
  const origin = lentOrigin(message);
  const replaced = originReplaced;
  if (!message.isMessage) {
    const payload = origin !== undefined && (replaced & PAYLOAD) === 0 ? payloadOf(origin.item) : { tag: 'bytes', val: message.payload };
    return { tag: 'buffer-or-bytes', val: payload };
  }
  const schema = decoded.get(message)?.schema ?? (like ? decoded.get(like)?.schema : undefined) ?? abi.none;
  if (origin !== undefined && origin.item.tag === 'message') {
    // The lent item's record was made for this call and is the module's own: the fields the updates replaced are
    // written into it, the others stay as lent, and it goes back whole (no new objects: allocation is most of
    // what the interpreter spends here).
    const m = origin.item.val;
    if (replaced & PAYLOAD) m.payload = { tag: 'bytes', val: message.payload };
    if (replaced & TOPIC) m.topic = { tag: 'bytes', val: utf8Encode(message.topic) };
    if (replaced & CONTENT_TYPE) m.contentType = witContentType(message.contentType, abi);
    if (replaced & PROPERTIES) m.properties = witProperties(message.userPropertyList);
    m.schema = schema;
    return origin.item;
  }
  return {
    tag: 'message',
    val: {
      timestamp: witTimestamp(message.timestamp, abi),
      topic: { tag: 'bytes', val: utf8Encode(message.topic) },
      contentType: witContentType(message.contentType, abi),
      payload: { tag: 'bytes', val: message.payload },
      properties: witProperties(message.userPropertyList),
      schema,
    },
  };
}

/** An absent content type is this builder's `none`. */
function witContentType(contentType: string | undefined, abi: Abi): BufferOrString | null | undefined {
  return contentType === undefined ? abi.none : { tag: 'string', val: contentType };
}

function witProperties(properties: Array<[string, string]>): WitMessage['properties'] {
  return {
    userProperties: properties.map(([k, v]) => [
      { tag: 'string', val: k },
      { tag: 'string', val: v },
    ]),
  };
}

function witTimestamp(t: Timestamp, abi: Abi): WitTimestamp {
  return { timestamp: { secs: abi.u64(t.secs) as U64, nanos: t.nanos }, counter: abi.u64(t.counter) as U64, nodeId: { tag: 'string', val: t.nodeId } };
}

function plainSchema(schema: WitSchema): WitSchema {
  if (schema.tag === 'registry-reference') return { tag: 'registry-reference', val: { tag: 'string', val: textOf(schema.val) } };
  return { tag: 'inline', val: { name: { tag: 'string', val: textOf(schema.val.name) }, content: { tag: 'string', val: textOf(schema.val.content) } } };
}
