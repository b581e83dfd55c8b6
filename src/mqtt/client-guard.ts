/**
 * What the embedded broker checks on each connection beyond what aedes does, so that a bad client costs only
 * itself: a PUBLISH to a wildcard or with ill-formed UTF-8 ends that connection with the MQTT 5 reason code (aedes
 * acknowledged ill-formed UTF-8, decoded as U+FFFD, and closed on a wildcard without saying why), and a client that
 * stops reading its socket can no longer hold up the broker's deliveries to everyone else (aedes waited up to 60 s
 * for its socket to drain before delivering the next message to anyone).
 *
 * aedes 2.0.0-beta.1 has no hook for either, so this wraps members of its Client: the packet listener on its
 * mqtt-packet parser (and the parser's string reader, which alone still sees the raw bytes), `waitForDrain`,
 * `rejectPacketTooLarge` (aedes sent no DISCONNECT to a client between its CONNACK and its being marked connected),
 * and its socket's `destroy`, so that a DISCONNECT's reason code reaches the client.
 */
import { isUtf8 } from 'node:buffer';
import type { Socket } from 'node:net';
import type { Client } from 'aedes';
import type { BrokerLimits } from './broker-limits.js';
import { ReasonCode, describeReasonCode } from './reason-codes.js';

/** A client the broker disconnected, as the run's log reports it. */
export interface ClientIncident {
  /** The client id, else the peer address. */
  client: string;
  reasonCode: number;
  why: string;
}

/** The parts of aedes' Client (lib/client.js) this guard reaches into. */
interface ClientInternals {
  id: string | null;
  version: number | null;
  connackSent: boolean;
  closed: boolean;
  conn: Socket;
  close(): void;
  waitForDrain(done: (error: Error | null, client: unknown) => void): void;
  rejectPacketTooLarge(size: number, done?: () => void): void;
  /** aedes' latch: while set, it reads no more from the socket. */
  _rejectingPacketTooLarge: boolean;
  _parser: ParserInternals;
}

interface ParserInternals {
  packet: { cmd?: string; topic?: string } & Record<symbol, unknown>;
  _pos: number;
  _list: { slice(start: number, end: number): Buffer };
  _parseString(): string | null;
  listeners(event: 'packet'): Array<(this: unknown, packet: unknown) => void>;
  removeAllListeners(event: 'packet'): void;
  on(event: 'packet', listener: (this: unknown, packet: ParserInternals['packet']) => void): void;
}

/** Set on a packet by the string reader when one of its strings is ill-formed UTF-8 or holds U+0000. */
const MALFORMED = Symbol('malformed string');

export function clientName(client: Client): string {
  const c = client as unknown as ClientInternals;
  return c.id ?? `${c.conn.remoteAddress ?? 'unknown'}:${c.conn.remotePort ?? '?'}`;
}

/** Set on a client once it is being let go: nothing more it sent is handled, and it is reported once. */
const REFUSED = Symbol('refused');
/** Set on a client once it was sent DISCONNECT: its socket is then closed gently (lingerAfterRefusal). */
const TOLD = Symbol('told');

/**
 * Ends a client's connection for `reasonCode`, once: an MQTT 5 client that has its CONNACK is sent DISCONNECT with
 * it first (it may not read it: a client that stopped reading is closed all the same), then closed gently; any
 * other is closed at once.
 */
export function refuseClient(client: Client, reasonCode: number, why: string, report: (incident: ClientIncident) => void): void {
  const c = client as unknown as ClientInternals & { [REFUSED]?: true; [TOLD]?: true };
  if (c[REFUSED] || c.closed) return;
  c[REFUSED] = true;
  report({ client: clientName(client), reasonCode, why });
  if (c.version === 5 && c.connackSent && !c.conn.destroyed) {
    // DISCONNECT: type 14, remaining length 1, the reason code.
    c.conn.write(Buffer.from([0xe0, 0x01, reasonCode]));
    c[TOLD] = true;
    c.close();
  } else c.conn.destroy();
}

/** Puts the checks on a connection aedes has just taken (`broker.handle(socket)`). */
export function guardClient(client: Client, limits: BrokerLimits, report: (incident: ClientIncident) => void): void {
  const c = client as unknown as ClientInternals;
  const parser = c._parser;

  const readString = parser._parseString;
  parser._parseString = function (this: ParserInternals) {
    const start = this._pos + 2;
    const text = readString.call(this);
    // U+FFFD is where the decoder replaced ill-formed bytes (or a client sent it, which is fine): only then look
    // at the raw bytes again.
    if (text !== null && (text.includes('\u0000') || (text.includes('\uFFFD') && !isUtf8(this._list.slice(start, this._pos))))) {
      this.packet[MALFORMED] = true;
    }
    return text;
  };

  const [enqueue] = parser.listeners('packet');
  parser.removeAllListeners('packet');
  parser.on('packet', function (this: unknown, packet) {
    const problem = packetProblem(packet);
    if (problem) refuseClient(client, problem.reasonCode, problem.why, report);
    else if (!(c as { [REFUSED]?: true })[REFUSED]) enqueue!.call(this, packet);
  });

  lingerAfterRefusal(c);

  // aedes calls this once a packet's fixed header declares more than the maximum packet size.
  c.rejectPacketTooLarge = (size, done) => {
    c._rejectingPacketTooLarge = true;
    refuseClient(client, ReasonCode.packetTooLarge, `it sent a packet of ${size} bytes (limit ${limits.maxPacketBytes}, --max-packet-size)`, report);
    done?.();
  };

  // aedes calls this when a write finds the socket's buffer full, and delivers nothing more to anyone until
  // `done`. Answer at once instead (the message waits in the socket's buffer), and count what waits there.
  let queued = 0;
  c.waitForDrain = (done) => {
    if (queued++ === 0) c.conn.once('drain', () => (queued = 0));
    if (queued > limits.maxQueued) {
      refuseClient(client, ReasonCode.quotaExceeded, `it stopped reading: ${queued} messages queued for it unsent (limit ${limits.maxQueued})`, report);
    }
    setImmediate(done, null, client);
  };
}

/** How long a connection told to go may take to close its side before it is cut. */
const LINGER_MS = 2000;

/**
 * On closing, aedes destroys the socket at once. A client still sending (the rest of a packet too large) then has
 * unread bytes in the broker's socket, so the close goes out as a reset, and a reset makes the client's system
 * discard what it had not read yet: the DISCONNECT and its reason code. So after a refusal close gently instead:
 * send FIN after the DISCONNECT, read and drop whatever still comes, and cut the connection once the client has
 * closed its side or LINGER_MS have passed.
 */
function lingerAfterRefusal(c: ClientInternals & { [TOLD]?: true }): void {
  const conn = c.conn;
  const destroy = conn.destroy.bind(conn);
  conn.destroy = (error?: Error) => {
    if (!c[TOLD] || error !== undefined || conn.destroyed) return destroy(error);
    conn.on('data', () => undefined);
    conn.end();
    setTimeout(() => destroy(), LINGER_MS).unref();
    conn.once('end', () => destroy());
    return conn;
  };
}

function packetProblem(packet: ParserInternals['packet']): { reasonCode: number; why: string } | undefined {
  if (packet[MALFORMED]) {
    return { reasonCode: ReasonCode.malformedPacket, why: `its ${packet.cmd ?? 'packet'} holds a string of ill-formed UTF-8 or U+0000` };
  }
  if (packet.cmd === 'publish' && /[+#]/.test(packet.topic ?? '')) {
    return { reasonCode: ReasonCode.topicNameInvalid, why: `it published to ${JSON.stringify(packet.topic)}: a wildcard is no topic name` };
  }
  return undefined;
}

/** `client x disconnected (0x95 packet too large): …`: the log line of an incident. */
export function describeIncident(incident: ClientIncident): string {
  return `client ${incident.client} disconnected (${describeReasonCode(incident.reasonCode)}): ${incident.why}`;
}
