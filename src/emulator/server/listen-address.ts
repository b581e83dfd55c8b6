import { AioError } from '../../errors.js';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `host:port`, `:port` or `port`; the host defaults to 127.0.0.1 and port 0 picks a free one. */
export function parseListenAddress(text: string, flag: string): ListenAddress {
  const match = /^(?:(.*):)?(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) {
    throw new AioError('AIO_EMULATE_BAD_LISTEN_ADDRESS', `${flag} "${text}" is not host:port`, {
      hint: `Write it as 127.0.0.1:9464, :9464 or 9464 (0 picks a free port).`,
    });
  }
  return { host: match[1] || '127.0.0.1', port };
}

/** Whether a host name or address only reaches this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || bare.startsWith('127.');
}
