/** How a test sees an item: the fields a case can expect, in the words of the case format. */
import { formatTs, hlcToMillis, type Hlc } from '../engine/hlc.js';
import { payloadOf, type Item } from '../engine/message.js';
import { VIRTUAL_EPOCH_MS } from './case-file.js';
import type { Graph } from '../graph/model.js';

export interface ObservedMessage {
  topic: string;
  /** Parsed when the bytes are JSON, else the text. */
  payload: unknown;
  /** The payload exactly as text, for expectations written as a string. */
  payloadText: string;
  userProperties: Record<string, string>;
  contentType?: string;
  correlationData?: string;
  responseTopic?: string;
  messageExpiry?: number;
  payloadFormat?: 'utf8' | 'bytes';
  at: number;
  ts: string;
  /** The pipeline Destination node that published it, for a pipeline's sink messages. */
  destination?: string;
}

const utf8 = new TextDecoder();

/** The pipeline Destination nodes of a graph, by operation name (empty for a graph definition). */
export function destinationsOf(graph: Graph): ReadonlySet<string> {
  return new Set(graph.operations.filter((o) => o.native?.kind === 'destination').map((o) => o.name));
}

/** A sink message as a test sees it; `destination` names the pipeline Destination node it left by. */
export function observeSink(item: Item, sinkOperation: string, destinations: ReadonlySet<string>): ObservedMessage {
  return destinations.has(sinkOperation) ? { ...observe(item), destination: sinkOperation } : observe(item);
}

export function observe(item: Item): ObservedMessage {
  const payloadText = utf8.decode(payloadOf(item));
  const base = { payload: parsedOrText(payloadText), payloadText, at: virtualMillis(item.timestamp), ts: formatTs(item.timestamp) };
  if (item.kind !== 'message') return { topic: '', userProperties: {}, ...base };
  const mqtt = item.mqtt ?? {};
  return {
    topic: utf8.decode(item.topic),
    userProperties: Object.fromEntries(item.userProperties.filter(([key]) => key !== '__ts')),
    ...base,
    ...(item.contentType === undefined ? {} : { contentType: item.contentType }),
    ...(mqtt.correlationData === undefined ? {} : { correlationData: utf8.decode(mqtt.correlationData) }),
    ...(mqtt.responseTopic === undefined ? {} : { responseTopic: mqtt.responseTopic }),
    ...(mqtt.messageExpiryInterval === undefined ? {} : { messageExpiry: mqtt.messageExpiryInterval }),
    ...(mqtt.payloadFormatIndicator === undefined ? {} : { payloadFormat: mqtt.payloadFormatIndicator ? 'utf8' : 'bytes' }),
  };
}

/** A timestamp as a case writes it: milliseconds after the virtual epoch (`at:`). */
export function virtualMillis(timestamp: Hlc): number {
  return hlcToMillis(timestamp) - VIRTUAL_EPOCH_MS;
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
