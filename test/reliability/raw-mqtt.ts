/**
 * A hand-rolled MQTT 5 client on a raw socket, for playing a bad client: it sends exactly the bytes a test writes
 * (ill-formed UTF-8, wildcards, lies about lengths), never acknowledges by itself, and records each packet the
 * broker sends back, framed but barely decoded: the packet type, and the reason code where there is one.
 */
import { connect, type Socket } from 'node:net';

export interface ReceivedPacket {
  type: number;
  /** CONNACK, PUBACK and DISCONNECT: the reason code (0 when a DISCONNECT omits it). */
  reasonCode?: number;
}

export const PacketType = { connack: 2, publish: 3, puback: 4, suback: 9, disconnect: 14 } as const;

export interface RawClient {
  socket: Socket;
  received: ReceivedPacket[];
  /** Resolves when the broker closes the connection, with the milliseconds since it was opened. */
  closed: Promise<number>;
  /** The reason code of the broker's DISCONNECT, if one came. */
  disconnectReason(): number | undefined;
  send(bytes: Buffer): void;
}

export function varint(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

function str(text: string | Buffer): Buffer {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function frame(firstByte: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([firstByte]), varint(body.length), body]);
}

/** CONNECT, MQTT 5, clean start, no properties. */
export function connectPacket(clientId: string, keepAliveSeconds = 60): Buffer {
  const keepAlive = Buffer.alloc(2);
  keepAlive.writeUInt16BE(keepAliveSeconds);
  return frame(0x10, Buffer.concat([str('MQTT'), Buffer.from([5, 0x02]), keepAlive, varint(0), str(clientId)]));
}

/** PUBLISH QoS 1 with packet id 1; the topic is written as given, bytes and all. */
export function publishPacket(topic: string | Buffer, payload: Buffer, packetId = 1): Buffer {
  const id = Buffer.alloc(2);
  id.writeUInt16BE(packetId);
  return frame(0x32, Buffer.concat([str(topic), id, varint(0), payload]));
}

/** SUBSCRIBE to one filter with QoS 1. */
export function subscribePacket(filter: string): Buffer {
  return frame(0x82, Buffer.concat([Buffer.from([0, 1]), varint(0), str(filter), Buffer.from([1])]));
}

export async function rawClient(url: string): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const opened = Date.now();
  const received: ReceivedPacket[] = [];
  let buffer: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      const framed = readFrame(buffer);
      if (!framed) break;
      received.push(framed.packet);
      buffer = buffer.subarray(framed.end);
    }
  });
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
  return {
    socket,
    received,
    closed,
    disconnectReason: () => received.find((p) => p.type === PacketType.disconnect)?.reasonCode,
    send: (bytes) => void socket.write(bytes),
  };
}

function readFrame(buffer: Buffer): { packet: ReceivedPacket; end: number } | undefined {
  let length = 0;
  let multiplier = 1;
  let at = 1;
  for (;;) {
    if (at >= buffer.length) return undefined;
    const byte = buffer[at++]!;
    length += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    if ((byte & 0x80) === 0) break;
  }
  if (buffer.length < at + length) return undefined;
  const type = buffer[0]! >> 4;
  const body = buffer.subarray(at, at + length);
  const reasonAt = type === PacketType.connack ? 1 : type === PacketType.puback ? 2 : type === PacketType.disconnect ? 0 : -1;
  return { packet: { type, ...(reasonAt >= 0 ? { reasonCode: body[reasonAt] ?? 0 } : {}) }, end: at + length };
}

/** Connects as MQTT 5 and waits for the CONNACK. */
export async function connectedRawClient(url: string, clientId: string): Promise<RawClient> {
  const client = await rawClient(url);
  client.send(connectPacket(clientId));
  await waitFor(() => client.received.some((p) => p.type === PacketType.connack), 'CONNACK');
  return client;
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `promise`, or a failure naming `what` after `timeoutMs`: a broker that never closes fails the test, not hangs it. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
