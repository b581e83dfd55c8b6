/**
 * One sink message as a JSON line in `mosquitto_sub -F %j` style, the format the AIO tooling writes to
 * `<data>/output/*.txt`. Written by hand rather than with JSON.stringify of an object because MQTT user
 * properties may repeat a key and mosquitto_sub prints every pair.
 */
import type { SinkMessage } from './sink-message.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function formatJsonLine(message: SinkMessage, time: Date): string {
  const fields: string[] = [
    `"tst":${JSON.stringify(formatTst(time))}`,
    `"topic":${JSON.stringify(message.topic)}`,
    `"qos":${message.qos}`,
    `"retain":${message.retain ? 1 : 0}`,
    `"payloadlen":${message.payload.byteLength}`,
  ];
  const properties = formatProperties(message);
  if (properties) fields.push(`"properties":{${properties}}`);
  fields.push(`"payload":${formatPayload(message.payload)}`);
  return `{${fields.join(',')}}`;
}

/** `2025-09-19T04:19:13.530381+0000`: UTC with microseconds, as mosquitto_sub prints it. */
export function formatTst(time: Date): string {
  return `${time.toISOString().slice(0, 23)}000+0000`;
}

function formatProperties(m: SinkMessage): string {
  const parts: string[] = [];
  if (m.payloadFormatIndicator !== undefined) parts.push(`"payload-format-indicator":${m.payloadFormatIndicator ? 1 : 0}`);
  if (m.messageExpiryInterval !== undefined) parts.push(`"message-expiry-interval":${m.messageExpiryInterval}`);
  if (m.responseTopic !== undefined) parts.push(`"response-topic":${JSON.stringify(m.responseTopic)}`);
  if (m.correlationData !== undefined) parts.push(`"correlation-data":${JSON.stringify(utf8.decode(m.correlationData))}`);
  if (m.userProperties.length > 0) {
    parts.push(`"user-properties":{${m.userProperties.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  }
  if (m.contentType !== undefined) parts.push(`"content-type":${JSON.stringify(m.contentType)}`);
  return parts.join(',');
}

/** Inlined as JSON when the payload parses as JSON, else a string. */
function formatPayload(payload: Uint8Array): string {
  const text = utf8.decode(payload);
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return JSON.stringify(text);
  }
}
