/**
 * An engine item as the dashboard's message inspector shows it: plain JSON, the payload as text when it is UTF-8
 * (base64 otherwise) and cut at SHOWN_PAYLOAD_BYTES so one large message cannot swell a reply.
 */
import { formatTs } from '../../engine/hlc.js';
import { payloadOf, type Item } from '../../engine/message.js';

export const SHOWN_PAYLOAD_BYTES = 8192;

export interface ItemView {
  kind: Item['kind'];
  ts: string;
  topic?: string;
  contentType?: string;
  payload: string;
  encoding: 'utf8' | 'base64';
  /** The whole payload's size; `payload` holds at most SHOWN_PAYLOAD_BYTES of it. */
  bytes: number;
  truncated: boolean;
  /** MQTT user properties in order, `__ts` included: it is what the graph reads the time from. */
  userProperties: Array<[string, string]>;
  /** The MQTT 5 properties that travel around the modules. */
  properties?: Record<string, string | number | boolean>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextDecoder();

export function itemView(item: Item): ItemView {
  const payload = payloadOf(item);
  const shown = payload.subarray(0, SHOWN_PAYLOAD_BYTES);
  const text = utf8Text(shown, shown.byteLength < payload.byteLength);
  const view: ItemView = {
    kind: item.kind,
    ts: formatTs(item.timestamp),
    payload: text ?? Buffer.from(shown).toString('base64'),
    encoding: text === undefined ? 'base64' : 'utf8',
    bytes: payload.byteLength,
    truncated: payload.byteLength > shown.byteLength,
    userProperties: item.kind === 'message' ? item.userProperties.map(([k, v]) => [k, v]) : [],
  };
  if (item.kind !== 'message') return view;
  view.topic = utf8.decode(item.topic);
  if (item.contentType !== undefined) view.contentType = item.contentType;
  const mqtt = item.mqtt ?? {};
  const properties: Record<string, string | number | boolean> = {};
  if (mqtt.qos !== undefined) properties.qos = mqtt.qos;
  if (mqtt.responseTopic !== undefined) properties.responseTopic = mqtt.responseTopic;
  if (mqtt.correlationData !== undefined) properties.correlationData = Buffer.from(mqtt.correlationData).toString('base64');
  if (mqtt.messageExpiryInterval !== undefined) properties.messageExpiryInterval = mqtt.messageExpiryInterval;
  if (mqtt.payloadFormatIndicator !== undefined) properties.payloadFormatIndicator = mqtt.payloadFormatIndicator;
  if (Object.keys(properties).length > 0) view.properties = properties;
  return view;
}

/** The text, or undefined when the bytes are not UTF-8 (after a `cut`, a character split by it still counts as text). */
function utf8Text(bytes: Uint8Array, cut: boolean): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    if (!cut) return undefined;
    // The cut may split the last character: up to three bytes short of valid is still text.
    for (let trim = 1; trim <= 3 && trim < bytes.byteLength; trim++) {
      try {
        return strictUtf8.decode(bytes.subarray(0, bytes.byteLength - trim));
      } catch {
        // keep trimming
      }
    }
    return undefined;
  }
}
