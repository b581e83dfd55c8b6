/** The MQTT 5 reason codes the embedded broker closes a connection with (MQTT 5.0 §2.4, DISCONNECT §3.14.2.1). */
export const ReasonCode = {
  /** Bytes that are not a well-formed packet, e.g. a string of ill-formed UTF-8 or one holding U+0000 (§1.5.4). */
  malformedPacket: 0x81,
  /** CONNACK: the embedded broker has credentials and the client did not present them (§3.2.2.2). */
  badUserNameOrPassword: 0x86,
  /** A packet larger than the Maximum Packet Size the broker advertised in CONNACK (§3.2.2.3.6). */
  packetTooLarge: 0x95,
  /** A well-formed topic name the broker does not accept: a PUBLISH to a wildcard (§3.3.2.1). */
  topicNameInvalid: 0x90,
  /** A client over one of the broker's limits: too many unacknowledged deliveries, or a full send queue. */
  quotaExceeded: 0x97,
  /** The client did not complete its CONNECT in time, or went silent past its keep-alive. */
  keepAliveTimeout: 0x8d,
} as const;

export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

/** `0x95 packet too large`: how a reason code reads in the log. */
export function describeReasonCode(code: number): string {
  const name = Object.entries(ReasonCode).find(([, value]) => value === code)?.[0] ?? 'unspecified';
  return `0x${code.toString(16)} ${name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`;
}
