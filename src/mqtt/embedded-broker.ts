/**
 * The embedded MQTT 5 broker (aedes 2.0.0-beta.1, the only embeddable Node broker that speaks MQTT 5). Beyond
 * serving clients it hosts the graph in process (attach/publish) and keeps the books a lossless shutdown needs:
 * how many source publishes it accepted for the graph, and how many QoS 1 deliveries are still unacknowledged.
 * It bounds what each client may make it hold (broker-limits.ts, client-guard.ts) and reports each client it
 * disconnects for that, so one bad client costs only itself.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { AioError } from '../errors.js';
import { DEFAULT_BROKER_LIMITS, STUCK_AFTER_MS, type BrokerCredentials, type BrokerLimits } from './broker-limits.js';
import { clientName, guardClient, refuseClient, type ClientIncident } from './client-guard.js';
import { InflightBooks } from './inflight-books.js';
import { SessionQueues, installSessionQueues, type QueueDrops } from './session-queues.js';
import { ReasonCode } from './reason-codes.js';
import { topicMatches } from '../util/topic-filter.js';

export interface EmbeddedBroker {
  host: string;
  port: number;
  url: string;
  /** Refuses new publishes on the given filters from now until the next `attach` (shutdown: stop taking input). */
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
  /** `publish` for a path taken per message: calls `settled` (with the packet given) instead of making a promise. */
  publishThen(packet: InProcessPacket, settled: (error: Error | undefined, packet: InProcessPacket) => void): void;
  /**
   * Starts serving the clients that connected so far and every later one. Until then the port is bound and
   * connections are held unanswered (no CONNACK, so no publish can be acknowledged): nothing a client sends before
   * the graph is attached can be acknowledged and then lost.
   */
  acceptClients(): void;
  close(): Promise<void>;
}

/** What aedes' `publish` takes: an in-process packet with the fields of a PUBLISH it leaves to us. */
type AedesPublish = InProcessPacket & { cmd: 'publish'; dup: false };

/** A publish as aedes hands it to in-process subscribers and takes it from in-process publishers. */
export interface InProcessPacket {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  properties?: Record<string, unknown>;
}

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  limits?: BrokerLimits;
  /** When given, a client must present them (CONNACK 0x86 otherwise). */
  credentials?: BrokerCredentials | undefined;
  /** A client the broker disconnected for breaking the protocol or a limit. */
  onIncident?: (incident: ClientIncident) => void;
  /**
   * Messages a persistent session's queue dropped past `--max-queued`: said once per client and absence, when it
   * comes back, when its session ends, or when the broker closes.
   */
  onQueueDrops?: (drops: QueueDrops) => void;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { host, port, credentials, limits = DEFAULT_BROKER_LIMITS, onIncident = () => undefined, onQueueDrops = () => undefined } = options;
  const inflight = new InflightBooks<Client>();
  let refused: readonly string[] = [];
  let attached: readonly string[] = [];
  let accepted = 0;
  const broker = await Aedes.createBroker({
    maximumPacketSize: limits.maxPacketBytes,
    connectTimeout: limits.connectTimeoutMs,
    ...(credentials === undefined ? {} : { authenticate: checkCredentials(credentials, onIncident) }),
    authorizePublish(client, packet, callback) {
      if (client && refused.some((f) => topicMatches(f, packet.topic))) return callback(new Error('the emulator is shutting down'));
      if (client && attached.some((f) => topicMatches(f, packet.topic))) accepted++;
      callback(null);
    },
    authorizeForward(client, packet) {
      if (packet.qos > 0 && effectiveQos(client, packet.topic) > 0) inflight.delivered(client);
      return packet;
    },
  });
  const sessions = new SessionQueues(limits.maxQueued);
  // aedes' typings leave out `persistence`, its default in-memory one here.
  installSessionQueues((broker as unknown as { persistence: object }).persistence, sessions);
  const reportDrops = (clientId?: string) => sessions.takeDrops(clientId).forEach(onQueueDrops);
  broker.on('client', (client) => reportDrops(client.id));
  broker.on('sessionExpired', (client) => reportDrops(client.id));
  broker.on('ack', (_packet, client) => inflight.acknowledged(client.id));
  broker.on('clientDisconnect', (client) => inflight.gone(client.id));
  // A subscriber that does not acknowledge costs only itself: past its window, and stuck, it is let go.
  const stuckCheck = setInterval(() => {
    for (const client of inflight.stuck(limits.maxInflight, STUCK_AFTER_MS)) {
      const why = `it left more than ${limits.maxInflight} QoS 1 deliveries unacknowledged (--max-inflight) and acknowledged none for ${STUCK_AFTER_MS / 1000} s`;
      refuseClient(client, ReasonCode.quotaExceeded, why, onIncident);
    }
  }, 1000).unref();
  reportAedesIncidents(broker, limits, onIncident);
  const publishThen = (packet: InProcessPacket, settled: (error: Error | undefined, packet: InProcessPacket) => void): void => {
    const publish: AedesPublish = { cmd: 'publish', dup: false, topic: packet.topic, payload: packet.payload, qos: packet.qos, retain: packet.retain };
    if (packet.properties !== undefined) publish.properties = packet.properties;
    broker.publish(publish as never, (error?: Error) => settled(error, packet));
  };
  const held: Socket[] = [];
  let accepting = false;
  const serve = (socket: Socket) => guardClient(broker.handle(socket), limits, onIncident);
  // A held socket is paused: what the client sends waits in its buffer until aedes reads it.
  const server = createServer((socket) => (accepting ? serve(socket) : held.push(socket)));
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
      while (inflight.anyUnacknowledged() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    },
    async attach(filters, handler) {
      attached = filters;
      refused = [];
      // MQTT wildcards never match topics starting with $ ($SYS); mqemitter's would.
      const deliver = (packet: InProcessPacket, done: () => void) => (packet.topic.startsWith('$') ? done() : handler(packet, done));
      await Promise.all(filters.map((f) => new Promise<void>((resolve) => broker.subscribe(f, deliver as never, () => resolve()))));
      return async () => {
        await Promise.all(filters.map((f) => new Promise<void>((resolve) => broker.unsubscribe(f, deliver as never, () => resolve()))));
        // The run is over and its books end with it. The refusal stays until the broker closes or the next run
        // attaches: a publish acknowledged now would reach no subscriber and be lost.
        attached = [];
        accepted = 0;
      };
    },
    acceptedOnAttached: () => accepted,
    acceptClients() {
      if (accepting) return;
      accepting = true;
      for (const socket of held.splice(0)) if (!socket.destroyed) serve(socket);
    },
    publish: (packet) => new Promise<void>((resolve, reject) => publishThen(packet, (error) => (error ? reject(error) : resolve()))),
    publishThen,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(stuckCheck);
        reportDrops();
        for (const socket of held.splice(0)) socket.destroy();
        broker.close(() => server.close(() => resolve()));
      }),
  };
}

/** The incidents aedes handles itself (it closes the connection); here they are only reported. */
function reportAedesIncidents(broker: Aedes, limits: BrokerLimits, report: (incident: ClientIncident) => void): void {
  const onError = (client: Client, error: Error) => {
    if (error.message === 'connect did not arrive in time') {
      report({
        client: clientName(client),
        reasonCode: ReasonCode.keepAliveTimeout,
        why: `no complete CONNECT within ${limits.connectTimeoutMs / 1000} s (--client-connect-timeout)`,
      });
    }
  };
  broker.on('clientError', onError);
  broker.on('connectionError', onError);
  broker.on('keepaliveTimeout', (client) =>
    report({ client: clientName(client), reasonCode: ReasonCode.keepAliveTimeout, why: 'silent for 1.5 times its keep-alive' }),
  );
}

/** Compares in constant time, so the answer's timing does not tell how much of a guess was right. */
function checkCredentials(credentials: BrokerCredentials, report: (incident: ClientIncident) => void) {
  const expected = { username: Buffer.from(credentials.username), password: Buffer.from(credentials.password) };
  const same = (given: Buffer, wanted: Buffer) => given.length === wanted.length && timingSafeEqual(given, wanted);
  return (
    client: Client,
    username: Readonly<string | undefined>,
    password: Readonly<Buffer | undefined>,
    done: (error: (Error & { returnCode: 4 }) | null, ok: boolean) => void,
  ) => {
    if (same(Buffer.from(username ?? ''), expected.username) && same(password ?? Buffer.alloc(0), expected.password)) return done(null, true);
    report({ client: clientName(client), reasonCode: ReasonCode.badUserNameOrPassword, why: "it did not present the broker's user name and password" });
    done(Object.assign(new Error('bad user name or password'), { returnCode: 4 as const }), false);
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
