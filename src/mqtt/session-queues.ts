/**
 * What the embedded broker keeps for each persistent session (MQTT 5 clean start off with a session expiry, or
 * MQTT 3 clean session off): the QoS 1/2 messages queued for its client, while it is away or has not acknowledged
 * them yet. aedes' memory persistence keeps them all, without a bound, for as long as the session lives, so a
 * client that subscribed once and went away could make the broker hold every message published since.
 *
 * This replaces that persistence's outgoing queue (its five `outgoing…` methods, which aedes alone calls) with one
 * bounded by `--max-queued`: past it the oldest message is dropped, as the Azure IoT Operations broker's
 * subscriber queue limit does with its `DropOldest` strategy. The graph's own subscription is in-process and holds
 * no session, so what it was acknowledged for is never among what is dropped.
 */
import { Readable } from 'node:stream';

/** A queued publish as aedes' persistence stores it (aedes-packet's fields that the queue reads). */
interface QueuedPacket {
  brokerId?: string;
  brokerCounter?: number;
  messageId?: number;
  [field: string]: unknown;
}

/** The part of aedes-persistence's interface this replaces. */
export interface OutgoingStore {
  outgoingEnqueue(sub: { clientId: string }, packet: QueuedPacket): Promise<void>;
  outgoingEnqueueCombi(subs: ReadonlyArray<{ clientId: string }>, packet: QueuedPacket): Promise<void>;
  outgoingUpdate(client: { id: string }, packet: QueuedPacket): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: QueuedPacket): Promise<QueuedPacket | undefined>;
  outgoingStream(client: { id: string }): Readable;
}

/** Messages a session's queue dropped since its client was last told about (`report` below). */
export interface QueueDrops {
  client: string;
  dropped: number;
  limit: number;
}

export class SessionQueues implements OutgoingStore {
  private readonly queues = new Map<string, QueuedPacket[]>();
  private readonly drops = new Map<string, number>();

  constructor(private readonly limit: number) {}

  outgoingEnqueue(sub: { clientId: string }, packet: QueuedPacket): Promise<void> {
    this.enqueue(sub.clientId, packet);
    return Promise.resolve();
  }

  outgoingEnqueueCombi(subs: ReadonlyArray<{ clientId: string }>, packet: QueuedPacket): Promise<void> {
    for (const sub of subs) this.enqueue(sub.clientId, packet);
    return Promise.resolve();
  }

  /**
   * Gives the queued copy of `packet` the message id it is being sent with (matched by broker counter), or
   * replaces the one sent earlier under that id. A packet dropped meanwhile is no error: aedes would disconnect
   * the client for one, and sending it costs no more than its own send queue allows.
   */
  outgoingUpdate(client: { id: string }, packet: QueuedPacket): Promise<void> {
    const queue = this.queues.get(client.id) ?? [];
    for (let i = 0; i < queue.length; i++) {
      const queued = queue[i]!;
      if (queued.brokerId === packet.brokerId) {
        if (queued.brokerCounter === packet.brokerCounter) {
          queued.messageId = packet.messageId;
          break;
        }
      } else if (queued.messageId === packet.messageId) {
        queue[i] = packet;
        break;
      }
    }
    return Promise.resolve();
  }

  /** Removes the message acknowledged (or discarded) under `packet.messageId`, and returns it. */
  outgoingClearMessageId(client: { id: string }, packet: QueuedPacket): Promise<QueuedPacket | undefined> {
    const queue = this.queues.get(client.id);
    const at = queue ? queue.findIndex((queued) => queued.messageId === packet.messageId) : -1;
    if (at < 0) return Promise.resolve(undefined);
    const [cleared] = queue!.splice(at, 1);
    if (queue!.length === 0) this.queues.delete(client.id);
    return Promise.resolve(cleared);
  }

  /** A copy of the queue as it is now: aedes clears entries while it streams them. */
  outgoingStream(client: { id: string }): Readable {
    return Readable.from([...(this.queues.get(client.id) ?? [])]);
  }

  /** The drops of `clientId` (or of every client) not reported yet, reported now: each once. */
  takeDrops(clientId?: string): QueueDrops[] {
    const ids = clientId === undefined ? [...this.drops.keys()] : this.drops.has(clientId) ? [clientId] : [];
    return ids.map((id) => {
      const dropped = this.drops.get(id)!;
      this.drops.delete(id);
      return { client: id, dropped, limit: this.limit };
    });
  }

  private enqueue(clientId: string, packet: QueuedPacket): void {
    let queue = this.queues.get(clientId);
    if (!queue) this.queues.set(clientId, (queue = []));
    // A copy per client, as aedes-persistence makes: each gets its own message id; the payload is shared.
    queue.push({ ...packet, messageId: undefined });
    if (queue.length > this.limit) {
      queue.shift();
      this.drops.set(clientId, (this.drops.get(clientId) ?? 0) + 1);
    }
  }
}

/** `client x: its session dropped …`: the log line of a session's drops. */
export function describeQueueDrops(drops: QueueDrops): string {
  return `client ${drops.client}: its session's queue dropped the ${drops.dropped} oldest message(s) waiting for it (limit ${drops.limit}, --max-queued)`;
}

/** Puts `queues` in place of the outgoing queue of aedes' persistence (called before any client connects). */
export function installSessionQueues(persistence: object, queues: SessionQueues): void {
  const methods = ['outgoingEnqueue', 'outgoingEnqueueCombi', 'outgoingUpdate', 'outgoingClearMessageId', 'outgoingStream'] as const;
  for (const name of methods) Object.assign(persistence, { [name]: queues[name].bind(queues) });
}
