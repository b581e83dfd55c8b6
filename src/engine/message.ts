/**
 * The engine's item: what flows along a connection. It mirrors the WIT `data-model` (a message, raw bytes or a
 * camera snapshot) and also carries the MQTT 5 properties that modules never see but that must reach the sink.
 */
import type { Hlc } from './hlc.js';

/** MQTT 5 publish properties that travel from source to sink around the modules. */
export interface MqttProperties {
  qos?: 0 | 1 | 2;
  retain?: boolean;
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  responseTopic?: string;
  correlationData?: Uint8Array;
}

export type MessageSchema = { kind: 'registry-reference'; reference: string } | { kind: 'inline'; name: string; content: string };

export interface Message {
  kind: 'message';
  timestamp: Hlc;
  topic: Uint8Array;
  contentType?: string;
  payload: Uint8Array;
  /** MQTT user properties in order; keys may repeat. */
  userProperties: Array<[string, string]>;
  schema?: MessageSchema;
  mqtt?: MqttProperties;
  /** A built-in transform wrote `$metadata.topic`: a destination's `${outputTopic}` resolves only then. */
  topicWritten?: boolean;
  /** Set by a pipeline's destination: the topic it publishes the item to (its `dataDestination`, resolved). */
  destinationTopic?: string;
}

export interface RawBytes {
  kind: 'bytes';
  timestamp: Hlc;
  bytes: Uint8Array;
}

export interface Snapshot {
  kind: 'snapshot';
  timestamp: Hlc;
  format: string;
  width: number;
  height: number;
  frame: Uint8Array;
}

export type Item = Message | RawBytes | Snapshot;

const encoder = new TextEncoder();

export function createMessage(
  fields: Partial<Omit<Message, 'kind' | 'payload' | 'topic'>> & { timestamp: Hlc; payload: Uint8Array | string; topic?: Uint8Array | string },
): Message {
  const { payload, topic, ...rest } = fields;
  return {
    userProperties: [],
    ...rest,
    kind: 'message',
    topic: typeof topic === 'string' ? encoder.encode(topic) : (topic ?? new Uint8Array()),
    payload: typeof payload === 'string' ? encoder.encode(payload) : payload,
  };
}

/** The bytes a downstream consumer treats as the payload, whatever the item's kind. */
export function payloadOf(item: Item): Uint8Array {
  if (item.kind === 'message') return item.payload;
  if (item.kind === 'bytes') return item.bytes;
  return item.frame;
}
