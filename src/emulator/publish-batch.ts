/**
 * Publishes packed into one buffer, to cross between the main thread and the graph worker. A batch is transferred,
 * not cloned: structured cloning each packet as an object cost more main-thread time than the graph saved.
 * Per publish: qos (u8), retain (u8), then topic, payload and properties, each as a u32 byte length and the bytes.
 * Properties travel as JSON, with correlation data (the one binary property) as base64.
 */
import type { InProcessPacket } from '../mqtt/embedded-broker.js';

const INITIAL_BYTES = 64 * 1024;

export class PublishBatchWriter {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;
  /** Publishes in the batch being written. */
  count = 0;

  append(packet: InProcessPacket): void {
    const properties = encodeProperties(packet.properties);
    const topicBytes = Buffer.byteLength(packet.topic);
    const propertyBytes = properties === '' ? 0 : Buffer.byteLength(properties);
    this.reserve(14 + topicBytes + packet.payload.length + propertyBytes);
    const b = this.buffer;
    let at = this.used;
    b[at++] = packet.qos;
    b[at++] = packet.retain ? 1 : 0;
    at = b.writeUInt32LE(topicBytes, at);
    at += b.write(packet.topic, at);
    at = b.writeUInt32LE(packet.payload.length, at);
    b.set(packet.payload, at);
    at += packet.payload.length;
    at = b.writeUInt32LE(propertyBytes, at);
    if (propertyBytes > 0) at += b.write(properties, at);
    this.used = at;
    this.count++;
  }

  /** The batch written so far, as a buffer to transfer; the writer starts a new one. */
  take(): ArrayBuffer | undefined {
    if (this.count === 0) return undefined;
    const batch = this.buffer.buffer.slice(this.buffer.byteOffset, this.buffer.byteOffset + this.used);
    this.used = 0;
    this.count = 0;
    return batch;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + bytes));
    this.buffer.copy(larger, 0, 0, this.used);
    this.buffer = larger;
  }
}

/** Calls `each` with every publish of a batch, in order. */
export function readPublishBatch(batch: ArrayBuffer, each: (packet: InProcessPacket) => void): number {
  const b = Buffer.from(batch);
  let at = 0;
  let count = 0;
  while (at < b.length) {
    const qos = b[at++] as 0 | 1 | 2;
    const retain = b[at++] === 1;
    const topicBytes = b.readUInt32LE(at);
    at += 4;
    const topic = b.toString('utf8', at, at + topicBytes);
    at += topicBytes;
    const payloadBytes = b.readUInt32LE(at);
    at += 4;
    const payload = b.subarray(at, at + payloadBytes);
    at += payloadBytes;
    const propertyBytes = b.readUInt32LE(at);
    at += 4;
    const properties = propertyBytes === 0 ? undefined : decodeProperties(b.toString('utf8', at, at + propertyBytes));
    at += propertyBytes;
    each({ topic, payload, qos, retain, ...(properties === undefined ? {} : { properties }) });
    count++;
  }
  return count;
}

function encodeProperties(properties: Record<string, unknown> | undefined): string {
  if (properties === undefined) return '';
  const { correlationData, ...rest } = properties;
  if (correlationData === undefined) return Object.keys(rest).length === 0 ? '' : JSON.stringify(rest);
  return JSON.stringify({ ...rest, correlationData: Buffer.from(correlationData as Uint8Array).toString('base64') });
}

function decodeProperties(json: string): Record<string, unknown> {
  const properties = JSON.parse(json) as Record<string, unknown>;
  if (typeof properties['correlationData'] === 'string') properties['correlationData'] = Buffer.from(properties['correlationData'], 'base64');
  return properties;
}
