/**
 * The embedded broker's books on QoS 1 deliveries to each client: how many are unacknowledged, and when the client
 * last acknowledged one. A shutdown waits for the counts to reach zero; a subscriber far behind its window that
 * has acknowledged nothing for a while is stuck, not slow, and is let go.
 */
export class InflightBooks<C extends { id: string }> {
  private readonly clients = new Map<string, { client: C; unacked: number; progressAt: number }>();

  delivered(client: C, now = Date.now()): void {
    const books = this.clients.get(client.id);
    if (books) books.unacked++;
    else this.clients.set(client.id, { client, unacked: 1, progressAt: now });
  }

  acknowledged(clientId: string, now = Date.now()): void {
    const books = this.clients.get(clientId);
    if (!books) return;
    books.unacked = Math.max(0, books.unacked - 1);
    books.progressAt = now;
  }

  gone(clientId: string): void {
    this.clients.delete(clientId);
  }

  anyUnacknowledged(): boolean {
    for (const books of this.clients.values()) if (books.unacked > 0) return true;
    return false;
  }

  /**
   * Clients with more than `window` deliveries unacknowledged and no acknowledgement (nor, if none ever came, the
   * first delivery) for `graceMs`. A subscriber that acknowledges, however late, is never among them: one that
   * cannot keep up is caught by its send queue instead.
   */
  stuck(window: number, graceMs: number, now = Date.now()): C[] {
    return [...this.clients.values()].filter((books) => books.unacked > window && now - books.progressAt >= graceMs).map((books) => books.client);
  }
}
