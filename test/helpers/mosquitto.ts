import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './registry.js';

/** Debian installs the broker in /usr/sbin, which is not on every user's PATH. */
const MOSQUITTO = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';

export interface Mosquitto {
  port: number;
  url: string;
  /** Stops the broker (its sessions persist to disk) and starts it again on the same port. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's mosquitto (MQTT 5) on a free loopback port with its own config and persistence folder;
 * `extraConfig` lines are added to that config.
 */
export async function startMosquitto(extraConfig = ''): Promise<Mosquitto> {
  const dir = await mkdtemp(join(tmpdir(), 'aio-mosquitto-'));
  let port = 0;
  const config = join(dir, 'mosquitto.conf');
  // `user`: when the tests run as root, mosquitto would otherwise switch to a `mosquitto` user that cannot write here.
  const configure = () =>
    writeFile(
      config,
      `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${dir}/\nuser ${userInfo().username}\nlog_dest stderr\nlog_type error\n${extraConfig}`,
    );
  let child: ChildProcess | undefined;
  const start = async () => {
    const process = spawn(MOSQUITTO, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    process.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child = process;
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (process.exitCode !== null) throw new Error(`mosquitto exited: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`mosquitto did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const halt = async () => {
    const current = child;
    if (!current || current.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      current.once('exit', () => resolve());
      current.kill('SIGTERM');
    });
  };
  // mosquitto cannot report a port it chose: it gets a free one, and if another process takes it first, a new one.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    await configure();
    try {
      await start();
      break;
    } catch (error) {
      if (!/address already in use/i.test(String(error)) || attempt === 5) throw error;
    }
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async restart(downMs = 300) {
      await halt();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async stop() {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
