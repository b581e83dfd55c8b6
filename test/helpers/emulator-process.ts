import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { SHARED_TEST_CACHE } from './components.js';

export interface EmulatorProcess {
  /** The broker URL the emulator printed. */
  brokerUrl: string;
  /** The emulator's process id (for /proc/<pid>/status or a signal of the test's choosing). */
  pid: number;
  stderr(): string;
  /** Sends SIGINT and waits for the exit. */
  interrupt(): Promise<{ code: number | null; stdout: string; stderr: string }>;
  kill(): void;
}

/** Starts `aio emulate` in MQTT mode as a child process and waits until its source is subscribed. */
export async function startEmulator(args: string[], env: NodeJS.ProcessEnv = {}): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'emulate', ...args], {
    cwd: repoRoot,
    env: { AIO_CACHE_DIR: SHARED_TEST_CACHE, ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Ready when the `ready:` line arrives: waited for as an event, not polled.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`aio emulate did not become ready:\n${stderr}`));
    }, 60_000);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`aio emulate exited early (${code}):\n${stderr}`));
    };
    child.once('exit', onExit);
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (/^ready: /m.test(stderr)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
  });
  const brokerUrl = /^broker: (\S+)/m.exec(stderr)![1]!;
  return {
    brokerUrl,
    pid: child.pid!,
    stderr: () => stderr,
    async interrupt() {
      child.kill('SIGINT');
      const code = await exited;
      return { code, stdout, stderr };
    },
    kill: () => child.kill('SIGKILL'),
  };
}
