import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { SHARED_TEST_CACHE } from './components.js';

export interface MeasuredRun {
  /** The exit status, or 128 + the signal's number when a signal ended the process. */
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the `aio` process, as GNU time reports it. */
  peakMiB: number;
  elapsedMs: number;
}

export interface MeasuredOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, then end of file (empty by default). */
  input?: string;
  /** Killed with SIGKILL after this long: a hang fails the assertion on `elapsedMs`, not the whole test file. */
  killAfterMs?: number;
  /** Called once the process has started, e.g. to signal it later. */
  onStart?: (pid: number) => void;
  /** Called with all of stderr so far, each time more arrives. */
  onStderr?: (stderr: string) => void;
}

/**
 * Runs the real `aio` binary under GNU `time`, as a user would, and reports its exit status, output, wall time and
 * peak memory: what the reliability tests bound.
 */
export function runMeasured(args: string[], options: MeasuredOptions = {}): Promise<MeasuredRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'peak-kib=%M', process.execPath, join(repoRoot, 'bin', 'run.js'), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { AIO_CACHE_DIR: SHARED_TEST_CACHE, ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => killTree(child.pid!), options.killAfterMs);
    if (options.onStart) void childPid(child.pid!).then(options.onStart);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      const peak = /peak-kib=(\d+)/.exec(stderr);
      // GNU time reports a signal that ended its child as "Command terminated by signal N".
      const signal = /Command terminated by signal (\d+)/.exec(stderr);
      const code = signal ? 128 + Number(signal[1]) : (status ?? 1);
      const shownStderr = stderr.replace(/^Command (terminated by signal|exited with non-zero status) .*\n/m, '').replace(/^peak-kib=\d+\n?/m, '');
      resolve({ code, stdout, stderr: shownStderr, peakMiB: peak ? Number(peak[1]) / 1024 : NaN, elapsedMs: Date.now() - started });
    });
  });
}

/** The first child process of `pid`, once it exists (the node process GNU time started, or aio's own child). */
export async function childPid(timePid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  for (let attempt = 0; attempt < 500; attempt++) {
    const children = await readFile(`/proc/${timePid}/task/${timePid}/children`, 'utf8').catch(() => '');
    const pid = Number(children.trim().split(/\s+/)[0]);
    if (pid > 0) return pid;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('aio did not start under GNU time');
}

function killTree(timePid: number): void {
  void childPid(timePid)
    .then((pid) => process.kill(pid, 'SIGKILL'))
    .catch(() => {});
}

/** A stack trace in output means a user mistake was treated as a crash. */
export { looksLikeStackTrace } from './cli.js';
