/**
 * Engine items ↔ the WIT `data-model`. Going in, payloads, topics and strings are lent as `buffer` handles (as
 * the cluster runtime does); coming back, either variant is accepted. MQTT properties that modules never see are
 * carried over from the input item.
 */
import type { Item, Message, MessageSchema } from '../engine/message.js';
import { HostBuffer, type LentBuffers } from './host/buffer.js';

type BufferOrBytes = { tag: 'buffer'; val: HostBuffer } | { tag: 'bytes'; val: Uint8Array };
type BufferOrString = { tag: 'buffer'; val: HostBuffer } | { tag: 'string'; val: string };

interface WitTimestamp {
  timestamp: { secs: bigint; nanos: number };
  counter: bigint;
  nodeId: BufferOrString;
}

interface WitMessage {
  timestamp: WitTimestamp;
  topic: BufferOrBytes;
  contentType?: BufferOrString;
  payload: BufferOrBytes;
  properties: { userProperties: Array<[BufferOrString, BufferOrString]> };
  schema?: { tag: 'registry-reference'; val: BufferOrString } | { tag: 'inline'; val: { name: BufferOrString; content: BufferOrString } };
}

interface WitSnapshot {
  timestamp: WitTimestamp;
  format: BufferOrString;
  width: number;
  height: number;
  frame: BufferOrBytes;
}

export type WitDataModel = { tag: 'buffer-or-bytes'; val: BufferOrBytes } | { tag: 'message'; val: WitMessage } | { tag: 'snapshot'; val: WitSnapshot };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * UTF-8 of the short strings every message repeats (node ids, content types, user property keys and values):
 * encoding them on every call was a tenth of a call's cost. Lent bytes are only ever copied, never written, so
 * one array can be lent many times. Bounded: cleared when full.
 */
const utf8Cache = new Map<string, Uint8Array>();
const UTF8_CACHE_ENTRIES = 4096;
const UTF8_CACHE_MAX_LENGTH = 256;

function utf8(value: string): Uint8Array {
  if (value.length > UTF8_CACHE_MAX_LENGTH) return encoder.encode(value);
  let bytes = utf8Cache.get(value);
  if (bytes === undefined) {
    if (utf8Cache.size >= UTF8_CACHE_ENTRIES) utf8Cache.clear();
    utf8Cache.set(value, (bytes = encoder.encode(value)));
  }
  return bytes;
}

export function toWit(item: Item, lent: LentBuffers): WitDataModel {
  const bytes = (value: Uint8Array): BufferOrBytes => ({ tag: 'buffer', val: lent.lend(value) });
  const text = (value: string): BufferOrString => ({ tag: 'buffer', val: lent.lend(utf8(value), value) });
  const timestamp: WitTimestamp = {
    timestamp: { secs: BigInt(item.timestamp.secs), nanos: item.timestamp.nanos },
    counter: BigInt(item.timestamp.counter),
    nodeId: text(item.timestamp.nodeId),
  };
  if (item.kind === 'bytes') return { tag: 'buffer-or-bytes', val: bytes(item.bytes) };
  if (item.kind === 'snapshot') {
    return { tag: 'snapshot', val: { timestamp, format: text(item.format), width: item.width, height: item.height, frame: bytes(item.frame) } };
  }
  return {
    tag: 'message',
    val: {
      timestamp,
      topic: bytes(item.topic),
      contentType: item.contentType === undefined ? undefined : text(item.contentType),
      payload: bytes(item.payload),
      properties: { userProperties: item.userProperties.map(([k, v]) => [text(k), text(v)]) },
      schema: schemaToWit(item.schema, text),
    },
  };
}

/** `base` is the item the module was given: its timestamp and MQTT properties carry over where WIT has none. */
export function fromWit(value: WitDataModel, base: Item): Item {
  if (value.tag === 'buffer-or-bytes') return { kind: 'bytes', timestamp: base.timestamp, bytes: readBytes(value.val) };
  const timestamp = {
    secs: Number(value.val.timestamp.timestamp.secs),
    nanos: value.val.timestamp.timestamp.nanos,
    counter: Number(value.val.timestamp.counter),
    nodeId: readText(value.val.timestamp.nodeId),
  };
  if (value.tag === 'snapshot') {
    const s = value.val;
    return { kind: 'snapshot', timestamp, format: readText(s.format), width: s.width, height: s.height, frame: readBytes(s.frame) };
  }
  const m = value.val;
  const message: Message = {
    kind: 'message',
    timestamp,
    topic: readBytes(m.topic),
    payload: readBytes(m.payload),
    userProperties: m.properties.userProperties.map(([k, v]) => [readText(k), readText(v)]),
  };
  if (m.contentType !== undefined) message.contentType = readText(m.contentType);
  const schema = schemaFromWit(m.schema);
  if (schema) message.schema = schema;
  if (base.kind === 'message' && base.mqtt) message.mqtt = base.mqtt;
  // A module that sets a new topic wrote it, as a map writing $metadata.topic does; one that keeps it passes on
  // whether a transform before it wrote it. Either way a destination's ${outputTopic} then resolves.
  if (base.kind === 'message' && (base.topicWritten === true || !sameBytes(base.topic, message.topic))) message.topicWritten = true;
  return message;
}

function readBytes(value: BufferOrBytes): Uint8Array {
  return value.tag === 'buffer' ? value.val.bytes : value.val;
}

function readText(value: BufferOrString): string {
  return value.tag === 'buffer' ? (value.val.text ?? decoder.decode(value.val.bytes)) : value.val;
}

function schemaToWit(schema: MessageSchema | undefined, text: (value: string) => BufferOrString): WitMessage['schema'] {
  if (!schema) return undefined;
  if (schema.kind === 'registry-reference') return { tag: 'registry-reference', val: text(schema.reference) };
  return { tag: 'inline', val: { name: text(schema.name), content: text(schema.content) } };
}

function schemaFromWit(schema: WitMessage['schema']): MessageSchema | undefined {
  if (!schema) return undefined;
  if (schema.tag === 'registry-reference') return { kind: 'registry-reference', reference: readText(schema.val) };
  return { kind: 'inline', name: readText(schema.val.name), content: readText(schema.val.content) };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
