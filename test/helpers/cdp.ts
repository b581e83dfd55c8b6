/** A Chrome DevTools Protocol client (what VS Code's debugger speaks), for tests of `aio emulate --inspect`. */
import WebSocket from 'ws';

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, any>;
  result?: Record<string, any>;
  error?: { message: string };
}

/** A CDP session on the process, with one on its worker thread through the NodeWorker domain. */
export class Cdp {
  private lastId = 0;
  private readonly waiting = new Map<number, (message: CdpMessage) => void>();
  readonly events: CdpMessage[] = [];
  readonly workerEvents: CdpMessage[] = [];
  private workerSession: string | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as CdpMessage;
      if (message.method === 'NodeWorker.receivedMessageFromWorker') {
        const inner = JSON.parse(message.params!['message'] as string) as CdpMessage;
        if (inner.id !== undefined) this.waiting.get(inner.id)?.(inner);
        else this.workerEvents.push(inner);
      } else if (message.id !== undefined) this.waiting.get(message.id)?.(message);
      else this.events.push(message);
    });
  }

  static async connect(url: string): Promise<Cdp> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new Cdp(socket);
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<CdpMessage> {
    const id = ++this.lastId;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Sends to the worker thread's session (the graph's thread on the embedded broker). */
  async sendToWorker(method: string, params: Record<string, unknown> = {}): Promise<CdpMessage> {
    const id = ++this.lastId;
    const answered = new Promise<CdpMessage>((resolve) => this.waiting.set(id, resolve));
    await this.send('NodeWorker.sendMessageToWorker', { sessionId: this.workerSession, message: JSON.stringify({ id, method, params }) });
    return answered;
  }

  /** Attaches to the worker whose script URL matches (the process has others: preview2-shim's I/O thread). */
  async attachToWorker(script: RegExp): Promise<void> {
    await this.send('NodeWorker.enable', { waitForDebuggerOnStart: false });
    const attached = await until(
      () => this.events.find((e) => e.method === 'NodeWorker.attachedToWorker' && script.test(e.params!['workerInfo']['url'] as string)),
      `a worker running ${script}`,
    );
    this.workerSession = attached.params!['sessionId'] as string;
  }

  close(): void {
    this.socket.close();
  }
}

export async function until<T>(find: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
