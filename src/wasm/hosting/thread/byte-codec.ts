/**
 * The bytes of a module call crossing to the module thread and back (module-host.ts): items,
 * timestamps and results packed by hand. Structured cloning the same objects through a MessagePort cost some 15 µs
 * a call (measured), several times a module call's own cost; packing and one copy each way costs about 1 µs.
 */
import { grownBuffer } from '../../../util/grown-buffer.js';
import type { Hlc } from '../../../engine/hlc.js';
import type { Item, MessageSchema, MqttProperties } from '../../../engine/message.js';
import type { MetricOp } from './call-channel.js';

const ITEM_KINDS = ['message', 'bytes', 'snapshot'] as const;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Appends values to a buffer of its own that grows as needed; `bytes()` is what was written since `reset()`. */
export class ByteWriter {
  private buffer = new Uint8Array(64 * 1024);
  private view = new DataView(this.buffer.buffer);
  private at = 0;

  reset(): this {
    this.at = 0;
    return this;
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.at);
  }

  u8(value: number): void {
    this.room(1);
    this.buffer[this.at++] = value;
  }

  u32(value: number): void {
    this.room(4);
    this.view.setUint32(this.at, value, true);
    this.at += 4;
  }

  f64(value: number): void {
    this.room(8);
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
  }

  blob(value: Uint8Array): void {
    this.u32(value.byteLength);
    this.room(value.byteLength);
    this.buffer.set(value, this.at);
    this.at += value.byteLength;
  }

  string(value: string): void {
    this.room(4 + value.length * 3);
    const { written } = encoder.encodeInto(value, this.buffer.subarray(this.at + 4));
    this.view.setUint32(this.at, written, true);
    this.at += 4 + written;
  }

  /** A value that may be absent: a presence byte, then the value. */
  optional<T>(value: T | undefined, write: (value: T) => void): void {
    this.u8(value === undefined ? 0 : 1);
    if (value !== undefined) write(value);
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.byteLength) return;
    this.buffer = grownBuffer(this.buffer, this.at, this.at + bytes);
    this.view = new DataView(this.buffer.buffer);
  }
}

/** Reads what a ByteWriter wrote, from a buffer that is not shared (TextDecoder refuses shared memory). */
export class ByteReader {
  private readonly view: DataView;
  private at = 0;

  constructor(private readonly buffer: Uint8Array) {
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  u8(): number {
    return this.buffer[this.at++]!;
  }

  u32(): number {
    const value = this.view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }

  f64(): number {
    const value = this.view.getFloat64(this.at, true);
    this.at += 8;
    return value;
  }

  /** A copy: the buffer is reused for the next call. */
  blob(): Uint8Array {
    const length = this.u32();
    const value = this.buffer.slice(this.at, this.at + length);
    this.at += length;
    return value;
  }

  string(): string {
    const length = this.u32();
    const value = decoder.decode(this.buffer.subarray(this.at, this.at + length));
    this.at += length;
    return value;
  }

  optional<T>(read: () => T): T | undefined {
    return this.u8() === 0 ? undefined : read();
  }
}

export function writeHlc(out: ByteWriter, hlc: Hlc): void {
  out.f64(hlc.secs);
  out.u32(hlc.nanos);
  out.f64(hlc.counter);
  out.string(hlc.nodeId);
}

export function readHlc(input: ByteReader): Hlc {
  return { secs: input.f64(), nanos: input.u32(), counter: input.f64(), nodeId: input.string() };
}

export function writeItem(out: ByteWriter, item: Item): void {
  out.u8(ITEM_KINDS.indexOf(item.kind));
  writeHlc(out, item.timestamp);
  if (item.kind === 'bytes') return out.blob(item.bytes);
  if (item.kind === 'snapshot') {
    out.string(item.format);
    out.u32(item.width);
    out.u32(item.height);
    return out.blob(item.frame);
  }
  out.blob(item.topic);
  out.optional(item.contentType, (v) => out.string(v));
  out.blob(item.payload);
  out.u32(item.userProperties.length);
  for (const [key, value] of item.userProperties) {
    out.string(key);
    out.string(value);
  }
  out.optional(item.schema, (v) => out.string(JSON.stringify(v)));
  out.optional(item.mqtt, (mqtt) => {
    const { correlationData, ...plain } = mqtt;
    out.string(JSON.stringify(plain));
    out.optional(correlationData, (v) => out.blob(v));
  });
  out.u8(item.topicWritten ? 1 : 0);
}

export function readItem(input: ByteReader): Item {
  const kind = ITEM_KINDS[input.u8()]!;
  const timestamp = readHlc(input);
  if (kind === 'bytes') return { kind, timestamp, bytes: input.blob() };
  if (kind === 'snapshot') return { kind, timestamp, format: input.string(), width: input.u32(), height: input.u32(), frame: input.blob() };
  const topic = input.blob();
  const contentType = input.optional(() => input.string());
  const payload = input.blob();
  const userProperties: Array<[string, string]> = [];
  for (let count = input.u32(); count > 0; count--) userProperties.push([input.string(), input.string()]);
  const schema = input.optional(() => JSON.parse(input.string()) as MessageSchema);
  const mqtt = input.optional((): MqttProperties => {
    const plain = JSON.parse(input.string()) as MqttProperties;
    const correlationData = input.optional(() => input.blob());
    return correlationData === undefined ? plain : { ...plain, correlationData };
  });
  const topicWritten = input.u8() === 1;
  return {
    kind,
    timestamp,
    topic,
    payload,
    userProperties,
    ...(contentType === undefined ? {} : { contentType }),
    ...(schema === undefined ? {} : { schema }),
    ...(mqtt === undefined ? {} : { mqtt }),
    ...(topicWritten ? { topicWritten } : {}),
  };
}

/** The metrics a module recorded during a call, appended to the call's reply. */
export function writeMetricOps(out: ByteWriter, ops: MetricOp[]): void {
  out.u32(ops.length);
  for (const op of ops) {
    out.u8(op.kind === 'counter' ? 0 : 1);
    out.string(op.operation);
    out.string(op.name);
    out.f64(Number(op.value));
    out.u32(op.labels?.length ?? 0);
    for (const label of op.labels ?? []) {
      out.string(label.key);
      out.string(label.value);
    }
  }
}

export function readMetricOps(input: ByteReader): MetricOp[] {
  return Array.from({ length: input.u32() }, (): MetricOp => {
    const kind = input.u8() === 0 ? 'counter' : 'histogram';
    const operation = input.string();
    const name = input.string();
    const value = input.f64();
    const labels = Array.from({ length: input.u32() }, () => ({ key: input.string(), value: input.string() }));
    return kind === 'counter' ? { kind, operation, name, value: BigInt(value), labels } : { kind, operation, name, value, labels };
  });
}
