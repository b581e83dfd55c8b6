/**
 * `aio emulate --inspect`: Node's inspector on this process, for VS Code's JavaScript debugger (attach; it follows
 * the graph's worker thread on its own) or Chrome DevTools. If a debugger already started this process (VS Code's
 * launch configuration), that inspector is used as it is.
 */
import inspector from 'node:inspector';
import { AioError, errorMessage } from '../../errors.js';
import type { ListenAddress } from '../server/listen-address.js';
import type { EmulateOptions, EmulateReporter } from '../emulate-session.js';

export const INSPECT_DEFAULT_ADDRESS = '127.0.0.1:9229';

/** Opens the inspector (unless one is open) and returns its WebSocket URL. */
export function openInspector(address: ListenAddress): string {
  let why = 'it did not open';
  if (inspector.url() === undefined) {
    try {
      inspector.open(address.port, address.host, false);
    } catch (error) {
      why = errorMessage(error);
    }
  }
  const url = inspector.url();
  if (url !== undefined) return url;
  throw new AioError('AIO_EMULATE_PORT_IN_USE', `cannot open the inspector on ${address.host}:${address.port}: ${why}`, {
    hint: 'Pick another address: --inspect 127.0.0.1:9230 (port 0 picks a free one).',
  });
}

/**
 * `--inspect` and `--break-on`: the inspector opens. Module calls lose their deadline meanwhile (planOptionsOf in
 * emulate-session.ts: a call paused in the debugger would run past it), so they run on the engine's own thread.
 */
export function openDebugging(options: Pick<EmulateOptions, 'inspect' | 'breakOn'>, reporter: Pick<EmulateReporter, 'announce' | 'note'>): void {
  if (options.inspect === undefined) return;
  reporter.announce(`inspect: ${openInspector(options.inspect)}`);
  reporter.note(
    'inspect: attach VS Code ("aio emulate: attach" in .vscode/launch.json) or open chrome://inspect; ' +
      `module calls run without a deadline while debugging${options.breakOn?.length ? `; pausing before each call of ${options.breakOn.join(', ')}` : ''}`,
  );
}
