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

/** Whether a host name or address only reaches this machine: `localhost`, `::1` or a literal 127.x.y.z. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || isLoopbackIpv4(bare);
}

/**
 * Whether a request's `Host` header names this server as only a local page can: a literal loopback address,
 * `localhost`, or the exact address the server listens on. A name that merely starts with `127.`
 * (`127.0.0.1.nip.io`, `127.evil.example`) is a public DNS name an attacker controls (DNS rebinding).
 */
export function isLocalHostHeader(header: string | undefined, listenHost: string): boolean {
  if (header === undefined) return false;
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d{1,5})?$/.exec(header.trim());
  if (!match) return false;
  const host = match[1]!.toLowerCase();
  const bare = host.replace(/^\[|\]$/g, '');
  return isLoopback(host) || bare === listenHost.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Four decimal octets, the first 127: only the literal address, never a name that begins like one. */
function isLoopbackIpv4(text: string): boolean {
  const octets = text.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}
