/**
 * Node.js runs signal handlers on the main thread only, so a module that loops there (a run without a call
 * deadline, or under --inspect) would make Ctrl+C and SIGTERM do nothing, twice. For such runs aio starts itself
 * again as a child and stays behind as its supervisor, a process whose thread never runs a module: the first
 * interrupt asks the child to stop (it drains once its thread is free), the second ends it at once.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ExitCode } from '../errors.js';

const SUPERVISED_ENV = 'AIO_SUPERVISED';

/** How long the child gets to quit on its own after the second interrupt before it is killed. */
const QUIT_GRACE_MS = 1000;

type SupervisorMessage = { kind: 'interrupt' } | { kind: 'quit' };

/** True in the child a supervisor started. */
export function isSupervised(): boolean {
  return process.env[SUPERVISED_ENV] === '1' && typeof process.send === 'function';
}

/** Runs this same command line as a supervised child; resolves with the exit status to end with. */
export function runSupervised(): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [SUPERVISED_ENV]: '1' },
  });
  let interrupts = 0;
  const tell = (message: SupervisorMessage): void => {
    if (child.connected) child.send(message, () => {});
  };
  const onSignal = (): void => {
    if (++interrupts === 1) return tell({ kind: 'interrupt' });
    tell({ kind: 'quit' });
    // A child stuck in a module call cannot hear it: the second interrupt always ends the run.
    setTimeout(() => child.kill('SIGKILL'), QUIT_GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (code !== null) resolve(code);
      else resolve(interrupts > 1 ? ExitCode.stopped : 128 + (constants.signals[signal!] ?? 0));
    });
  });
}

/**
 * In a supervised child: interrupts arrive from the supervisor (a terminal's Ctrl+C reaches both processes, and
 * the supervisor's count is the one that holds). Returns the function that stops listening.
 */
export function listenToSupervisor(handlers: { interrupt: () => void; quit: () => void }): () => void {
  const ignore = (): void => {};
  const onMessage = (message: SupervisorMessage): void => (message.kind === 'quit' ? handlers.quit() : handlers.interrupt());
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  process.on('message', onMessage);
  // The supervisor gone (killed) means nobody waits for this run.
  process.once('disconnect', handlers.quit);
  // The channel must not keep the process alive once the run is over.
  (process.channel as { unref?: () => void } | undefined)?.unref?.();
  return () => {
    process.off('SIGINT', ignore);
    process.off('SIGTERM', ignore);
    process.off('message', onMessage);
    process.off('disconnect', handlers.quit);
  };
}
