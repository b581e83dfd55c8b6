/**
 * The embedded MQTT 5 broker (aedes 2.0.0-beta.1, the only embeddable Node broker that speaks MQTT 5). Beyond
 * serving clients it keeps the books a lossless shutdown needs: how many source messages it handed to the
 * emulator, and how many QoS 1 deliveries to other clients are still unacknowledged.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { AioError, ExitCode } from '../errors.js';
import { topicMatches } from './topic-filter.js';

export interface EmbeddedBroker {
  host: string;
  port: number;
  url: string;
  /** Refuses new publishes on the given filters (shutdown: stop taking input). */
  refusePublishes(filters: readonly string[]): void;
  /** QoS 1/2 messages the broker has forwarded to `clientId` so far. */
  forwardedTo(clientId: string): number;
  /** Resolves once every QoS 1/2 delivery to clients other than `exceptClientId` is acknowledged, or after `timeoutMs`. */
  deliveriesSettled(exceptClientId: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(host: string, port: number): Promise<EmbeddedBroker> {
  const forwarded = new Map<string, number>();
  const unacked = new Map<string, number>();
  let refused: readonly string[] = [];
  const broker = await Aedes.createBroker({
    authorizePublish(client, packet, callback) {
      if (client && refused.some((f) => topicMatches(f, packet.topic))) callback(new Error('the emulator is shutting down'));
      else callback(null);
    },
    authorizeForward(client, packet) {
      if (packet.qos > 0 && effectiveQos(client, packet.topic) > 0) {
        forwarded.set(client.id, (forwarded.get(client.id) ?? 0) + 1);
        unacked.set(client.id, (unacked.get(client.id) ?? 0) + 1);
      }
      return packet;
    },
  });
  broker.on('ack', (_packet, client) => unacked.set(client.id, Math.max(0, (unacked.get(client.id) ?? 0) - 1)));
  broker.on('clientDisconnect', (client) => unacked.delete(client.id));
  const server = createServer(broker.handle);
  await listen(server, host, port);
  const bound = (server.address() as AddressInfo).port;
  return {
    host,
    port: bound,
    url: `mqtt://${host}:${bound}`,
    refusePublishes(filters) {
      refused = filters;
    },
    forwardedTo: (clientId) => forwarded.get(clientId) ?? 0,
    async deliveriesSettled(exceptClientId, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const pending = () => [...unacked].some(([id, n]) => id !== exceptClientId && n > 0);
      while (pending() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    },
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}

/** The QoS a delivery actually gets: the lower of the message's and the matching subscription's. */
function effectiveQos(client: Client, topic: string): number {
  const subscriptions = (client as unknown as { subscriptions: Record<string, { qos?: number }> }).subscriptions ?? {};
  let best = 0;
  for (const [filter, sub] of Object.entries(subscriptions)) if (topicMatches(filter, topic)) best = Math.max(best, sub.qos ?? 0);
  return best;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const inUse = error.code === 'EADDRINUSE';
      reject(
        new AioError(inUse ? 'AIO_EMULATE_PORT_IN_USE' : 'AIO_EMULATE_BROKER_START', `the embedded broker cannot listen on ${host}:${port}: ${error.message}`, {
          hint: inUse ? 'another broker is probably running there: pass --port 0 for a free port, or --broker mqtt://host:port to use it' : 'check --host and --port',
          exit: ExitCode.invalidInput,
        }),
      );
    });
    server.listen(port, host, () => resolve());
  });
}
