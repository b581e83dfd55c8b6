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
  if (inspector.url() === undefined) {
    try {
      inspector.open(address.port, address.host, false);
    } catch (error) {
      throw new AioError('AIO_EMULATE_PORT_IN_USE', `cannot open the inspector on ${address.host}:${address.port}: ${errorMessage(error)}`, {
        hint: 'Pick another address: --inspect 127.0.0.1:9230 (port 0 picks a free one).',
      });
    }
  }
  const url = inspector.url();
  if (url === undefined) {
    throw new AioError('AIO_EMULATE_PORT_IN_USE', `the inspector did not open on ${address.host}:${address.port}`, {
      hint: 'Pick another address: --inspect 127.0.0.1:9230 (port 0 picks a free one).',
    });
  }
  return url;
}

/**
 * `--inspect` and `--break-on`: the inspector opens, and module calls lose their deadline (a call paused in the
 * debugger would run past it) and so run on the engine's own thread, where the debugger sees them.
 */
export function debugging(options: EmulateOptions, reporter: Pick<EmulateReporter, 'announce' | 'note'>): EmulateOptions {
  if (options.inspect === undefined) return options;
  reporter.announce(`inspect: ${openInspector(options.inspect)}`);
  reporter.note(
    'inspect: attach VS Code ("aio emulate: attach" in .vscode/launch.json) or open chrome://inspect; ' +
      `module calls run without a deadline while debugging${options.breakOn?.length ? `; pausing before each call of ${options.breakOn.join(', ')}` : ''}`,
  );
  return { ...options, limits: { ...options.limits, callDeadlineMs: 0 } };
}
