import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { SHARED_TEST_CACHE } from './components.js';

export interface EmulatorProcess {
  /** The broker URL the emulator printed. */
  brokerUrl: string;
  /** The emulator's process id (for /proc/<pid>/status or a signal of the test's choosing). */
  pid: number;
  stderr(): string;
  /** Sends SIGINT (or `signal`) and waits for the exit. */
  interrupt(signal?: NodeJS.Signals): Promise<EmulatorExit>;
  kill(): void;
}

export interface EmulatorExit {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the emulator in MiB, from GNU time (only when started with `measure`). */
  peakMiB?: number;
}

/**
 * Starts `aio emulate` in MQTT mode as a child process and waits until its source is subscribed. With `measure`
 * it runs under GNU `/usr/bin/time`, which reports the emulator's peak resident memory when it exits; signals go
 * to the emulator itself (time's child), since time does not pass them on.
 */
export async function startEmulator(args: string[], env: NodeJS.ProcessEnv = {}, options: { measure?: boolean } = {}): Promise<EmulatorProcess> {
  const node = [process.execPath, join(repoRoot, 'bin', 'run.js'), 'emulate', ...args];
  const [command, ...commandArgs] = options.measure ? ['/usr/bin/time', '-f', 'peak-kib=%M', ...node] : node;
  const child: ChildProcess = spawn(command!, commandArgs, {
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
  const emulatorPid = options.measure ? Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]) : child.pid!;
  return {
    brokerUrl,
    pid: child.pid!,
    stderr: () => stderr,
    async interrupt(signal: NodeJS.Signals = 'SIGINT') {
      try {
        process.kill(emulatorPid, signal);
      } catch (error) {
        // A run that ended by itself (e.g. on a write error) is reaped already: report how it ended.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
      const code = await exited;
      const peak = /peak-kib=(\d+)/.exec(stderr);
      return { code, stdout, stderr, ...(peak ? { peakMiB: Number(peak[1]) / 1024 } : {}) };
    },
    kill: () => {
      try {
        process.kill(emulatorPid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
