/**
 * WIT values (wasm-graph:processor@1.1.0 `data-model`, `hybrid-logical-clock`) ↔ the SDK's messages. The two
 * JavaScript component builders lower the same WIT differently: componentize-js passes u64 as BigInt and `none`
 * as undefined, componentize-qjs passes u64 as a number and `none` as null. `Abi` carries that difference; the
 * rest of the SDK never sees it.
 */
import { Message, type Timestamp } from './message.js';
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

/** Schemas ride along unchanged: decoded to strings on the way in, encoded again on the way out. */
const schemas = new WeakMap<Message, WitSchema | undefined>();

/** A WIT item as an SDK message. Handles are read when a field is first used, during the call that lent them. */
export function decodeItem(item: WitDataModel): Message {
  if (item.tag === 'message') {
    const m = item.val;
    const message = new Message({
      payload: () => bytesOf(m.payload),
      topic: () => utf8Decode(bytesOf(m.topic)),
      userProperties: () => m.properties.userProperties.map(([k, v]) => [textOf(k), textOf(v)] as [string, string]),
      contentType: () => (m.contentType ? textOf(m.contentType) : undefined),
      timestamp: () => itemTimestamp(m.timestamp),
      isMessage: true,
    });
    schemas.set(message, m.schema ? plainSchema(m.schema) : undefined);
    return message;
  }
  const bytes = item.tag === 'buffer-or-bytes' ? item.val : item.val.frame;
  const timestamp = item.tag === 'snapshot' ? item.val.timestamp : undefined;
  return new Message({
    payload: () => bytesOf(bytes),
    topic: () => '',
    userProperties: () => [],
    contentType: () => undefined,
    timestamp: () => (timestamp ? itemTimestamp(timestamp) : { secs: 0, nanos: 0, counter: 0, nodeId: '' }),
    isMessage: false,
  });
}

/** An SDK message as the WIT item to return; `like` is the input it came from (for the schema it carried). */
export function encodeItem(message: Message, abi: Abi, like?: Message): unknown {
  if (!message.isMessage) return { tag: 'buffer-or-bytes', val: { tag: 'bytes', val: message.payload } };
  const contentType = message.contentType;
  const schema = schemas.get(message) ?? (like ? schemas.get(like) : undefined);
  const t = message.timestamp;
  return {
    tag: 'message',
    val: {
      timestamp: { timestamp: { secs: abi.u64(t.secs), nanos: t.nanos }, counter: abi.u64(t.counter), nodeId: { tag: 'string', val: t.nodeId } },
      topic: { tag: 'bytes', val: utf8Encode(message.topic) },
      contentType: contentType === undefined ? abi.none : { tag: 'string', val: contentType },
      payload: { tag: 'bytes', val: message.payload },
      properties: {
        userProperties: message.userPropertyList.map(([k, v]) => [
          { tag: 'string', val: k },
          { tag: 'string', val: v },
        ]),
      },
      schema: schema ?? abi.none,
    },
  };
}

function plainSchema(schema: WitSchema): WitSchema {
  if (schema.tag === 'registry-reference') return { tag: 'registry-reference', val: { tag: 'string', val: textOf(schema.val) } };
  return { tag: 'inline', val: { name: { tag: 'string', val: textOf(schema.val.name) }, content: { tag: 'string', val: textOf(schema.val.content) } } };
}
