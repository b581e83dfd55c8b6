/**
 * What one client may make the embedded broker hold. Without these a peer could make it buffer a declared 256 MB
 * packet, or stall every delivery by not reading its socket. The names follow the Azure IoT Operations broker's
 * client settings (maxPacketSizeBytes, maxReceiveMaximum, subscriberQueueLimit) they stand in for.
 */
export interface BrokerLimits {
  /** Largest packet a client may send, in bytes; advertised in CONNACK and refused at its fixed header (0x95). */
  maxPacketBytes: number;
  /**
   * Most QoS 1 deliveries a subscriber may leave unacknowledged: one over it that has acknowledged nothing for
   * STUCK_AFTER_MS is disconnected (0x97). One that acknowledges, however far behind, is not: its send queue
   * bounds what it costs.
   */
  maxInflight: number;
  /**
   * Most messages queued for a client: one more for a client that stopped reading its socket disconnects it (0x97);
   * one more in a persistent session's queue drops its oldest (session-queues.ts).
   */
  maxQueued: number;
  /** Longest a connection may take to send a complete CONNECT before it is closed (aedes' own default is 30 s). */
  connectTimeoutMs: number;
}

export const DEFAULT_BROKER_LIMITS: BrokerLimits = {
  maxPacketBytes: 1024 * 1024,
  maxInflight: 1000,
  maxQueued: 1000,
  connectTimeoutMs: 10_000,
};

/** How long a subscriber over its in-flight window may go without acknowledging anything before it is let go. */
export const STUCK_AFTER_MS = 5000;

/** The embedded broker's credentials (`--username` and AIO_MQTT_PASSWORD): every client must present them. */
export interface BrokerCredentials {
  username: string;
  /** Never printed or logged. */
  password: string;
}
