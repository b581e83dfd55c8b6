/**
 * A message as `aio record` keeps it: what a replay needs to send it again exactly (payload bytes, topic, MQTT 5
 * user properties in order with duplicates, content type) and when it arrived, for replays without `__ts`.
 */
import type { IPublishPacket } from 'mqtt';

export interface RecordedMessage {
  topic: string;
  payload: Uint8Array;
  /** In arrival order; `__ts` (the AIO timestamp) among them when the publisher set it. */
  userProperties: Array<[string, string]>;
  contentType: string | undefined;
  /** Wall-clock ms when it arrived. */
  receivedAt: number;
}

export function recordedFromPublish(packet: Pick<IPublishPacket, 'topic' | 'payload' | 'properties'>, receivedAt: number): RecordedMessage {
  const userProperties: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(packet.properties?.userProperties ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) userProperties.push([key, String(v)]);
  }
  const payload = typeof packet.payload === 'string' ? new TextEncoder().encode(packet.payload) : new Uint8Array(packet.payload);
  return { topic: packet.topic, payload, userProperties, contentType: packet.properties?.contentType, receivedAt };
}

/** The payload as UTF-8 text, or undefined when it is not valid UTF-8 (a binary payload). */
export function payloadText(payload: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return undefined;
  }
}

/**
 * The payload as a YAML/JSON value when writing it parsed gives back the very same bytes (so a replay sends what
 * was recorded), else undefined: `{"a":1}` parses; `{ "a": 1 }` stays text, its spacing would be lost.
 */
export function exactJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && JSON.stringify(value) === text ? value : undefined;
  } catch {
    return undefined;
  }
}
