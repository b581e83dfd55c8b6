/**
 * One MQTT 5 connection to an external broker (`--broker`), with the TLS material and credentials of
 * broker-flags.ts. A refused connection is a user-facing error (unreachable, or credentials refused), never a
 * stack trace. Shared by `aio emulate --broker` and `aio record`.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { AioError, errorMessage } from '../errors.js';
import type { BrokerConnection } from './broker-flags.js';

export interface ConnectOptions {
  /** Keep a session across reconnects (QoS 1 messages for us wait at the broker): the emulator's live run. */
  persistentSession: boolean;
  /** Milliseconds before mqtt.js retries a dropped connection. */
  reconnectPeriod: number;
}

export async function connectBroker(connection: BrokerConnection, how: ConnectOptions): Promise<MqttClient> {
  const options: IClientOptions = {
    protocolVersion: 5,
    clientId: connection.clientId,
    clean: !how.persistentSession,
    ...(how.persistentSession ? { properties: { sessionExpiryInterval: 300 } } : {}),
    reconnectPeriod: how.reconnectPeriod,
    // mqtt.js asks its `debug` logger on every packet even when it is off, a cost a live run pays per message; it
    // stays on when DEBUG names it.
    ...(/mqttjs|(^|,)\*/.test(process.env['DEBUG'] ?? '') ? {} : { log: () => undefined }),
    connectTimeout: 5000,
    rejectUnauthorized: connection.rejectUnauthorized,
    ...(connection.username === undefined ? {} : { username: connection.username }),
    ...(connection.password === undefined ? {} : { password: connection.password }),
    ...(connection.ca === undefined ? {} : { ca: connection.ca }),
    ...(connection.cert === undefined ? {} : { cert: connection.cert }),
    ...(connection.key === undefined ? {} : { key: connection.key }),
  };
  const client = mqtt.connect(connection.url, options);
  let onError: (error: Error) => void = () => undefined;
  let onClose: () => void = () => undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      onError = reject;
      onClose = () => reject(new Error('connection closed before the broker answered'));
      client.once('connect', () => resolve());
      client.once('error', onError);
      client.once('close', onClose);
    });
  } catch (error) {
    client.end(true);
    const code = (error as { code?: number | string }).code;
    const auth = code === 4 || code === 5 || code === 134 || code === 135;
    throw new AioError(auth ? 'AIO_EMULATE_BROKER_AUTH' : 'AIO_EMULATE_BROKER_UNREACHABLE', `cannot connect to ${connection.url}: ${errorMessage(error)}`, {
      hint: auth ? 'check --username and the password (AIO_MQTT_PASSWORD)' : 'check that the broker runs and the URL, port and TLS options are right',
    });
  }
  // Only our own listeners: mqtt.js reconnects through its own 'close' listener.
  client.off('error', onError);
  client.off('close', onClose);
  return client;
}
