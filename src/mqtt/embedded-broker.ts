/**
 * The embedded MQTT 5 broker (aedes 2.0.0-beta.1, the only embeddable Node broker that speaks MQTT 5). Beyond
 * serving clients it hosts the graph in process (attach/publish) and keeps the books a lossless shutdown needs:
 * how many source publishes it accepted for the graph, and how many QoS 1 deliveries are still unacknowledged.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { AioError } from '../errors.js';
import { topicMatches } from './topic-filter.js';

export interface EmbeddedBroker {
  host: string;
  port: number;
  url: string;
  /** Refuses new publishes on the given filters from now until the broker closes (shutdown: stop taking input). */
  refusePublishes(filters: readonly string[]): void;
  /** Resolves once every QoS 1/2 delivery to a client is acknowledged, or after `timeoutMs`. */
  deliveriesSettled(timeoutMs: number): Promise<void>;
  /**
   * Delivers client publishes on `filters` to `handler` inside this process, as a subscription would without the
   * network: the publisher's PUBACK waits until `handler` calls `done`. Returns how to detach.
   */
  attach(filters: readonly string[], handler: (packet: InProcessPacket, done: () => void) => void): Promise<() => Promise<void>>;
  /** Client publishes on the attached filters that the broker accepted so far (a drain waits for all of them). */
  acceptedOnAttached(): number;
  /** Publishes from inside this process; resolves once the broker has routed it to its subscribers' queues. */
  publish(packet: InProcessPacket): Promise<void>;
  /**
   * Starts serving the clients that connected so far and every later one. Until then the port is bound and
   * connections are held unanswered (no CONNACK, so no publish can be acknowledged): nothing a client sends before
   * the graph is attached can be acknowledged and then lost.
   */
  acceptClients(): void;
  close(): Promise<void>;
}

/** A publish as aedes hands it to in-process subscribers and takes it from in-process publishers. */
export interface InProcessPacket {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  properties?: Record<string, unknown>;
}

export async function startEmbeddedBroker(host: string, port: number): Promise<EmbeddedBroker> {
  const unacked = new Map<string, number>();
  let refused: readonly string[] = [];
  let attached: readonly string[] = [];
  let accepted = 0;
  const broker = await Aedes.createBroker({
    authorizePublish(client, packet, callback) {
      if (client && refused.some((f) => topicMatches(f, packet.topic))) return callback(new Error('the emulator is shutting down'));
      if (client && attached.some((f) => topicMatches(f, packet.topic))) accepted++;
      callback(null);
    },
    authorizeForward(client, packet) {
      if (packet.qos > 0 && effectiveQos(client, packet.topic) > 0) {
        unacked.set(client.id, (unacked.get(client.id) ?? 0) + 1);
      }
      return packet;
    },
  });
  broker.on('ack', (_packet, client) => unacked.set(client.id, Math.max(0, (unacked.get(client.id) ?? 0) - 1)));
  broker.on('clientDisconnect', (client) => unacked.delete(client.id));
  const held: Socket[] = [];
  let accepting = false;
  // A held socket is paused: what the client sends waits in its buffer until aedes reads it.
  const server = createServer((socket) => (accepting ? broker.handle(socket) : held.push(socket)));
  await listen(server, host, port);
  const bound = (server.address() as AddressInfo).port;
  return {
    host,
    port: bound,
    url: `mqtt://${host}:${bound}`,
    refusePublishes(filters) {
      refused = filters;
    },
    async deliveriesSettled(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const pending = () => [...unacked.values()].some((n) => n > 0);
      while (pending() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    },
    async attach(filters, handler) {
      attached = filters;
      // MQTT wildcards never match topics starting with $ ($SYS); mqemitter's would.
      const deliver = (packet: InProcessPacket, done: () => void) => (packet.topic.startsWith('$') ? done() : handler(packet, done));
      await Promise.all(filters.map((f) => new Promise<void>((resolve) => broker.subscribe(f, deliver as never, () => resolve()))));
      return async () => {
        await Promise.all(filters.map((f) => new Promise<void>((resolve) => broker.unsubscribe(f, deliver as never, () => resolve()))));
        // The run is over and its books end with it. The refusal stays until the broker closes: a publish
        // acknowledged now would reach no subscriber and be lost.
        attached = [];
        accepted = 0;
      };
    },
    acceptedOnAttached: () => accepted,
    acceptClients() {
      if (accepting) return;
      accepting = true;
      for (const socket of held.splice(0)) if (!socket.destroyed) broker.handle(socket);
    },
    publish: (packet) =>
      new Promise<void>((resolve, reject) =>
        broker.publish({ cmd: 'publish', dup: false, ...packet } as never, (error?: Error) => (error ? reject(error) : resolve())),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of held.splice(0)) socket.destroy();
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
          hint: inUse
            ? 'another broker is probably running there: pass --port 0 for a free port, or --broker mqtt://host:port to use it'
            : 'check --host and --port',
        }),
      );
    });
    server.listen(port, host, () => resolve());
  });
}
