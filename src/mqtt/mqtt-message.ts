/** MQTT 5 publishes ↔ engine items, keeping every property that must travel from source to sink. */
import type { IClientPublishOptions, IPublishPacket } from 'mqtt';
import { parseTs, type HlcClock } from '../engine/hlc.js';
import { createMessage, type Message } from '../engine/message.js';
import type { SinkMessage } from './sink-message.js';

/** The item for a received publish: timestamp from `__ts` when present and well-formed, else from the clock. */
export function itemFromPublish(packet: Pick<IPublishPacket, 'topic' | 'payload' | 'qos' | 'retain' | 'properties'>, clock: HlcClock): Message {
  const props = packet.properties ?? {};
  const userProperties: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(props.userProperties ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) userProperties.push([key, String(v)]);
  }
  const ts = userProperties.find(([k]) => k === '__ts');
  const payload = typeof packet.payload === 'string' ? new TextEncoder().encode(packet.payload) : new Uint8Array(packet.payload);
  return createMessage({
    timestamp: (ts && parseTs(ts[1])) ?? clock.next(),
    topic: packet.topic,
    payload,
    userProperties,
    ...(props.contentType === undefined ? {} : { contentType: props.contentType }),
    mqtt: {
      qos: packet.qos,
      retain: packet.retain,
      ...(props.payloadFormatIndicator === undefined ? {} : { payloadFormatIndicator: props.payloadFormatIndicator }),
      ...(props.messageExpiryInterval === undefined ? {} : { messageExpiryInterval: props.messageExpiryInterval }),
      ...(props.responseTopic === undefined ? {} : { responseTopic: props.responseTopic }),
      ...(props.correlationData === undefined ? {} : { correlationData: new Uint8Array(props.correlationData) }),
    },
  });
}

/** mqtt.js publish options for a sink message; repeated user property keys become arrays, as mqtt.js expects. */
export function publishOptions(message: SinkMessage): IClientPublishOptions {
  const userProperties: Record<string, string | string[]> = {};
  for (const [key, value] of message.userProperties) {
    const existing = userProperties[key];
    userProperties[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return {
    qos: message.qos,
    retain: message.retain,
    properties: {
      userProperties,
      ...(message.contentType === undefined ? {} : { contentType: message.contentType }),
      ...(message.payloadFormatIndicator === undefined ? {} : { payloadFormatIndicator: message.payloadFormatIndicator }),
      ...(message.messageExpiryInterval === undefined ? {} : { messageExpiryInterval: message.messageExpiryInterval }),
      ...(message.responseTopic === undefined ? {} : { responseTopic: message.responseTopic }),
      ...(message.correlationData === undefined ? {} : { correlationData: Buffer.from(message.correlationData) }),
    },
  };
}
