/**
 * A TCP port on 127.0.0.1 where a new connection never opens: a listener whose accept queue is full. The listener
 * lives in a child process that blocks its own event loop, so it never accepts; a few connections fill its queue
 * (backlog 1), after which Linux drops further SYNs and a connect waits, as it does for a host that has gone away.
 * No root and no network setup needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';

export interface UnacceptingListener {
  host: string;
  stop(): void;
}

const LISTENER = `
const server = require('node:net').createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  process.stdout.write(server.address().port + '\\n');
  // Blocks this process's event loop: the kernel still queues connections, nothing ever accepts them.
  setImmediate(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300000));
});`;

/** Opens connections until one does not complete within `settleMs`: from then on, the port stalls every connect. */
export async function startUnacceptingListener(settleMs = 1000): Promise<UnacceptingListener> {
  const child: ChildProcess = spawn(process.execPath, ['-e', LISTENER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
  });
  const held: Socket[] = [];
  const stop = (): void => {
    for (const socket of held) socket.destroy();
    child.kill('SIGKILL');
  };
  for (let i = 0; i < 16; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    held.push(socket);
    const opened = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), settleMs);
      socket.once('connect', () => (clearTimeout(timer), resolve(true)));
    });
    if (!opened) return { host: `127.0.0.1:${port}`, stop };
  }
  stop();
  throw new Error(`127.0.0.1:${port} kept accepting connections past its backlog; cannot make a stalled port here`);
}
