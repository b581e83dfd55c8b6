import { Flags } from '@oclif/core';
import type { EmulatorSettings } from '../project/model.js';
import { DEFAULT_BROKER_LIMITS, STUCK_AFTER_MS, type BrokerLimits } from '../mqtt/broker-limits.js';
import { AioError } from '../errors.js';
import { parseDuration, parseSizeBytes } from '../util/units.js';

/** The largest packet MQTT can frame: a 4-byte remaining length of 268,435,455 plus the fixed header. */
const MQTT_MAX_PACKET_BYTES = 268_435_460;

/** `aio emulate`'s flags for what each client of the embedded broker may make it hold. */
export const brokerLimitFlags = {
  'max-packet-size': Flags.string({
    description:
      'embedded broker: largest packet a client may send; a larger one is refused at its header and the client disconnected (e.g. 256KiB, 16MiB) [default: 1MiB]',
  }),
  'max-inflight': Flags.integer({
    description: `embedded broker: QoS 1 deliveries a subscriber may leave unacknowledged; past it, one that acknowledges nothing for ${STUCK_AFTER_MS / 1000} s is disconnected [default: ${DEFAULT_BROKER_LIMITS.maxInflight}]`,
    min: 1,
  }),
  'max-queued': Flags.integer({
    description: `embedded broker: messages queued for a client: one that stopped reading its socket is disconnected past it; a persistent session's queue drops its oldest [default: ${DEFAULT_BROKER_LIMITS.maxQueued}]`,
    min: 1,
  }),
  // Not --connect-timeout: that is the registry's, for connections aio opens.
  'client-connect-timeout': Flags.string({
    description: `embedded broker: longest a client may take to send a complete CONNECT; past it the connection is closed (e.g. 3s, 500ms) [default: ${DEFAULT_BROKER_LIMITS.connectTimeoutMs / 1000}s]`,
  }),
};

/** The embedded broker's limits: each flag, else the aio.yaml `emulator` setting, else the default. */
export function brokerLimits(
  flags: {
    'max-packet-size'?: string | undefined;
    'max-inflight'?: number | undefined;
    'max-queued'?: number | undefined;
    'client-connect-timeout'?: string | undefined;
  },
  settings: EmulatorSettings = {},
): BrokerLimits {
  const maxPacketSize = flags['max-packet-size'] ?? settings.maxPacketSize;
  const connectTimeout = flags['client-connect-timeout'] ?? settings.clientConnectTimeout;
  return {
    maxPacketBytes:
      maxPacketSize === undefined ? DEFAULT_BROKER_LIMITS.maxPacketBytes : parseSizeBytes(maxPacketSize, 'the maximum packet size', 64, MQTT_MAX_PACKET_BYTES),
    maxInflight: flags['max-inflight'] ?? settings.maxInflight ?? DEFAULT_BROKER_LIMITS.maxInflight,
    maxQueued: flags['max-queued'] ?? settings.maxQueued ?? DEFAULT_BROKER_LIMITS.maxQueued,
    connectTimeoutMs: connectTimeout === undefined ? DEFAULT_BROKER_LIMITS.connectTimeoutMs : clientConnectTimeoutMs(connectTimeout),
  };
}

/** A timeout of 0 would close every connection at once (aedes arms it as is), so it must be more. */
function clientConnectTimeoutMs(text: string | number): number {
  const ms = parseDuration(text, 'the client connect timeout');
  if (ms >= 1) return ms;
  throw new AioError('AIO_LIMIT_INVALID', `the client connect timeout "${text}" must be more than 0`, {
    hint: 'Write it as 10s or 500ms: a client gets that long to send its CONNECT.',
  });
}
