/**
 * `aio record`'s service: subscribe to topic filters on a broker and keep what arrives until a count is reached,
 * a duration has passed or the caller aborts. A clean session: recording starts from now, and leaves nothing
 * queued at the broker afterwards.
 */
import { AioError } from '../errors.js';
import type { BrokerConnection } from '../mqtt/broker-flags.js';
import { connectBroker } from '../mqtt/connect-broker.js';
import { isValidFilter } from '../util/topic-filter.js';
import { recordedFromPublish, type RecordedMessage } from './recorded-message.js';

export interface RecordOptions {
  topics: readonly string[];
  /** Stop after this many messages. */
  count?: number | undefined;
  /** Stop after this many ms. */
  durationMs?: number | undefined;
  /** Stop when aborted (Ctrl+C): what arrived so far is kept. */
  signal?: AbortSignal | undefined;
  /** Once subscribed: from here on nothing published is missed. */
  onSubscribed?: () => void;
  onMessage?: (message: RecordedMessage, total: number) => void;
}

export interface Recording {
  messages: RecordedMessage[];
  /** Why it ended. */
  stoppedBy: 'count' | 'duration' | 'interrupt';
}

export async function recordFromBroker(connection: BrokerConnection, options: RecordOptions): Promise<Recording> {
  for (const filter of options.topics) {
    if (!isValidFilter(filter))
      throw new AioError('AIO_RECORD_BAD_TOPIC', `--topic ${filter} is not a valid MQTT topic filter`, {
        hint: '+ stands for one whole level and # only for the last one, e.g. sensors/+/temperature or sensors/#',
      });
  }
  const client = await connectBroker(connection, { persistentSession: false, reconnectPeriod: 1000 });
  const messages: RecordedMessage[] = [];
  try {
    const stoppedBy = await new Promise<Recording['stoppedBy']>((resolve, reject) => {
      const timer = options.durationMs === undefined ? undefined : setTimeout(() => resolve('duration'), options.durationMs);
      const stop = (why: Recording['stoppedBy']) => {
        if (timer !== undefined) clearTimeout(timer);
        resolve(why);
      };
      if (options.signal?.aborted) return stop('interrupt');
      options.signal?.addEventListener('abort', () => stop('interrupt'), { once: true });
      client.on('message', (_topic, _payload, packet) => {
        if (options.count !== undefined && messages.length >= options.count) return;
        const message = recordedFromPublish(packet, Date.now());
        messages.push(message);
        options.onMessage?.(message, messages.length);
        if (options.count !== undefined && messages.length >= options.count) stop('count');
      });
      client.subscribeAsync([...options.topics], { qos: 1 }).then(
        (granted) => {
          const refused = granted.find((g) => g.qos > 2);
          if (refused !== undefined) {
            reject(
              new AioError('AIO_RECORD_SUBSCRIBE_REFUSED', `the broker refused the subscription to ${refused.topic}`, {
                hint: 'check that this user may subscribe to the topic (broker ACLs)',
              }),
            );
            return;
          }
          options.onSubscribed?.();
        },
        (error: unknown) => reject(error as Error),
      );
    });
    return { messages, stoppedBy };
  } finally {
    await client.endAsync();
  }
}
