/** Turns the MQTT flags of `aio emulate` into a broker connection; the password comes from the environment only. */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { AioError } from '../errors.js';
import type { BrokerCredentials } from './broker-limits.js';
import { isValidFilter, topicMatches } from '../util/topic-filter.js';

/** How to reach an external broker (`--broker`). */
export interface BrokerConnection {
  url: string;
  clientId: string;
  username?: string;
  /** Never printed or logged. */
  password?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
}

export const PASSWORD_ENV = 'AIO_MQTT_PASSWORD';

export interface BrokerFlagValues {
  broker?: string;
  username?: string;
  'ca-file'?: string;
  'cert-file'?: string;
  'key-file'?: string;
  insecure: boolean;
  'client-id'?: string;
}

/** `clientPrefix` names the client by its command (`aio-emulate-<graph>-…`, `aio-record-…`) in the broker's logs. */
export function brokerConnection(url: string, flags: BrokerFlagValues, graphName: string, clientPrefix = 'aio-emulate'): BrokerConnection {
  if (!/^(mqtts?|tcp|ssl|wss?):\/\//.test(url)) {
    throw new AioError('AIO_EMULATE_BAD_BROKER_URL', `--broker ${url} is not an MQTT URL`, { hint: 'use mqtt://host:1883 or mqtts://host:8883' });
  }
  const slug =
    graphName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'graph';
  const password = process.env[PASSWORD_ENV];
  return {
    url,
    clientId: flags['client-id'] ?? `${clientPrefix}-${slug}-${randomBytes(3).toString('hex')}`,
    ...(flags.username === undefined ? {} : { username: flags.username }),
    ...(password === undefined ? {} : { password }),
    ...(flags['ca-file'] === undefined ? {} : { ca: readPem(flags['ca-file'], '--ca-file') }),
    ...(flags['cert-file'] === undefined ? {} : { cert: readPem(flags['cert-file'], '--cert-file') }),
    ...(flags['key-file'] === undefined ? {} : { key: readPem(flags['key-file'], '--key-file') }),
    rejectUnauthorized: !flags.insecure,
  };
}

/**
 * The embedded broker's credentials: `--username` turns them on, and the password comes from the environment as
 * for an external broker. Without `--username` the broker takes any client, as a local test broker does.
 */
export function embeddedCredentials(flags: Pick<BrokerFlagValues, 'username'>): BrokerCredentials | undefined {
  if (flags.username === undefined) return undefined;
  const password = process.env[PASSWORD_ENV];
  if (password === undefined || password === '') {
    throw new AioError(
      'AIO_EMULATE_BROKER_PASSWORD_MISSING',
      `--username ${flags.username} asks the embedded broker for credentials, and ${PASSWORD_ENV} is not set`,
      {
        hint: `Set the password in ${PASSWORD_ENV} (it is never taken from a flag, so it stays out of the shell history), or drop --username.`,
      },
    );
  }
  return { username: flags.username, password };
}

/** Topic filters must be valid, and the sink topic must not feed the source (the graph would loop forever). */
export function checkTopics(sourceTopics: readonly string[], sinkTopic: string): void {
  for (const filter of sourceTopics) {
    if (!isValidFilter(filter)) {
      throw new AioError('AIO_EMULATE_BAD_TOPIC', `--source-topic ${filter} is not a valid MQTT topic filter`, {
        hint: '+ stands for one whole level and # only for the last one, e.g. sensors/+/temperature or sensors/#',
      });
    }
  }
  if (sinkTopic === '' || /[+#]/.test(sinkTopic)) {
    throw new AioError('AIO_EMULATE_BAD_TOPIC', `--sink-topic ${sinkTopic} must be a topic name without wildcards`, {
      hint: 'e.g. --sink-topic processed/temperature',
    });
  }
  const loop = sourceTopics.find((filter) => topicMatches(filter, sinkTopic));
  if (loop) {
    throw new AioError('AIO_EMULATE_TOPIC_LOOP', `the sink topic ${sinkTopic} matches the source filter ${loop}: every output would come back as input`, {
      hint: 'choose a sink topic outside the source filters, e.g. --sink-topic processed/…',
    });
  }
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new AioError('AIO_FILE_NOT_FOUND', `${flag} ${path} cannot be read: ${(error as Error).message}`, { hint: 'check the path' });
  }
}
