/**
 * What leaves a sink: the item as an MQTT 5 publish. The `__ts` user property is rewritten to the item's
 * timestamp (a delay or window may have moved it); every other property travels as it came in.
 */
import { formatTs } from '../engine/hlc.js';
import { payloadOf, type Item } from '../engine/message.js';

export interface SinkMessage {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1 | 2;
  retain: boolean;
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  responseTopic?: string;
  correlationData?: Uint8Array;
  /** In order; keys may repeat. */
  userProperties: Array<[string, string]>;
  contentType?: string;
}

const decoder = new TextDecoder();

/**
 * The topic a data-folder run and `aio test` show for a sink message: the topic the message itself carries (as
 * the AIO tooling's runner writes it), or `fallback` for an item without one.
 */
export function ownTopic(item: Item, fallback: string): string {
  return item.kind === 'message' && item.topic.length > 0 ? decoder.decode(item.topic) : fallback;
}

/** Where a live run publishes an item: its pipeline destination's topic when it passed one, else the run's sink topic. */
export function publishTopicOf(item: Item, sinkTopic: string): string {
  return item.kind === 'message' && item.destinationTopic !== undefined ? item.destinationTopic : sinkTopic;
}

export function toSinkMessage(item: Item, topic: string, qos: 0 | 1 | 2): SinkMessage {
  const ts: [string, string] = ['__ts', formatTs(item.timestamp)];
  if (item.kind !== 'message') return { topic, payload: payloadOf(item), qos, retain: false, userProperties: [ts] };
  const mqtt = item.mqtt ?? {};
  const userProperties = item.userProperties.filter(([key]) => key !== '__ts');
  return {
    topic,
    payload: item.payload,
    qos,
    retain: mqtt.retain ?? false,
    ...(mqtt.payloadFormatIndicator === undefined ? {} : { payloadFormatIndicator: mqtt.payloadFormatIndicator }),
    ...(mqtt.messageExpiryInterval === undefined ? {} : { messageExpiryInterval: mqtt.messageExpiryInterval }),
    ...(mqtt.responseTopic === undefined ? {} : { responseTopic: mqtt.responseTopic }),
    ...(mqtt.correlationData === undefined ? {} : { correlationData: mqtt.correlationData }),
    userProperties: [ts, ...userProperties],
    ...(item.contentType === undefined ? {} : { contentType: item.contentType }),
  };
}
