import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { SHARED_TEST_CACHE } from './components.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `aio` binary in a child process, as a user or a pipeline would. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'run.js'), ...args],
      { cwd: options.cwd ?? repoRoot, env: { AIO_CACHE_DIR: SHARED_TEST_CACHE, ...process.env, NO_COLOR: '1', ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
        if (code === undefined) reject(error);
        else resolvePromise({ code, stdout, stderr });
      },
    );
    // A pipeline's stdin: the given input (a password for --password-stdin), then end of file.
    child.stdin?.end(options.input ?? '');
  });
}

/** A stack trace in output means a user mistake was treated as a crash. */
export function looksLikeStackTrace(text: string): boolean {
  return /\n\s+at .+\(.+:\d+:\d+\)/.test(text) || /\n\s+at .+:\d+:\d+\n/.test(text);
}
