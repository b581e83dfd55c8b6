import { Flags } from '@oclif/core';
import type { Credentials } from '../registry/auth.js';
import { signedInAccess } from '../registry/credentials.js';
import type { RegistryAccess } from '../registry/transfer.js';
import { formatBytes } from '../files/read-user-file.js';
import { DEFAULT_REMOTE_LIMITS, formatDuration, remoteLimits, type RemoteLimits, type RemoteSettings } from '../util/remote-limits.js';

/** Time and size bounds on remote calls; each flag wins over `remote:` in aio.yaml, which wins over the default. */
export const remoteFlags = {
  'connect-timeout': Flags.string({
    description: `longest a connection may take to open (e.g. 10s; 0: none) [default: ${DEFAULT_REMOTE_LIMITS.connectTimeoutMs / 1000}s]`,
  }),
  'idle-timeout': Flags.string({
    description: `longest a server may stay silent: before it answers, between bytes of a download, or taking no bytes of an upload [default: ${DEFAULT_REMOTE_LIMITS.idleTimeoutMs / 1000}s]`,
  }),
  'request-timeout': Flags.string({
    description: `longest a manifest, token or other small request may take as a whole, and a blob upload's answer once it is sent [default: ${DEFAULT_REMOTE_LIMITS.requestTimeoutMs / 1000}s]`,
  }),
  retries: Flags.string({
    description: `retries of a request that failed on the wire (idempotent ones only) or with 429/5xx, with doubling backoff [default: ${DEFAULT_REMOTE_LIMITS.retries}]`,
  }),
  'max-blob-size': Flags.string({
    description: `largest layer a pull accepts, checked before the download (e.g. 512MiB, 8GiB) [default: ${DEFAULT_REMOTE_LIMITS.maxBlobBytes / 1024 ** 3}GiB]`,
  }),
};

export interface RemoteFlagValues {
  'connect-timeout'?: string | undefined;
  'idle-timeout'?: string | undefined;
  'request-timeout'?: string | undefined;
  'max-blob-size'?: string | undefined;
  retries?: string | undefined;
}

/** The limits from the flags, then aio.yaml's `remote:` settings, then the defaults. */
export function remoteLimitsOf(flags: RemoteFlagValues, settings: RemoteSettings = {}): RemoteLimits {
  return remoteLimits(
    {
      connectTimeout: flags['connect-timeout'],
      idleTimeout: flags['idle-timeout'],
      requestTimeout: flags['request-timeout'],
      maxBlobSize: flags['max-blob-size'],
      retries: flags.retries,
    },
    settings,
  );
}

/** Flags shared by every `aio registry` command. Passwords come from stdin or the environment, never a flag. */
export const registryFlags = {
  'plain-http': Flags.boolean({ description: 'talk HTTP, not HTTPS (local registries such as 127.0.0.1:5000)' }),
  insecure: Flags.boolean({ description: 'do not verify the TLS certificate (self-signed local registries only)' }),
  username: Flags.string({ char: 'u', description: 'user name; the password is read from stdin (--password-stdin) or AIO_REGISTRY_PASSWORD' }),
  'password-stdin': Flags.boolean({ description: 'read the password or token from standard input' }),
  ...remoteFlags,
};

export interface RegistryFlagValues extends RemoteFlagValues {
  'plain-http': boolean;
  insecure: boolean;
  username?: string | undefined;
  'password-stdin': boolean;
}

export async function registryAccess(flags: RegistryFlagValues, showProgress: boolean): Promise<RegistryAccess> {
  let explicit: Credentials | undefined;
  if (flags.username !== undefined) {
    const password = await readPassword(flags['password-stdin']);
    if (password !== undefined) explicit = { username: flags.username, password };
  }
  const transport = { plainHttp: flags['plain-http'], insecure: flags.insecure, limits: remoteLimitsOf(flags) };
  return withProgressBar(signedInAccess(transport, explicit), showProgress);
}

/**
 * Progress for large blobs on stderr: a bar redrawn in place in a terminal (`live`, never under --json), otherwise
 * one plain line per blob when it is done. Progress never goes to stdout and never vanishes.
 */
export function withProgressBar(access: RegistryAccess, live: boolean): RegistryAccess {
  return { ...access, onProgress: progressBar(live && process.stderr.isTTY === true) };
}

/** The password from stdin (one trailing newline trimmed) or AIO_REGISTRY_PASSWORD. */
export async function readPassword(fromStdin: boolean): Promise<string | undefined> {
  return fromStdin ? (await readStdin()).replace(/\r?\n$/, '') : process.env['AIO_REGISTRY_PASSWORD'];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const BAR_MIN_BYTES = 1024 * 1024;
/** A bar is redrawn at most this often, a plain line (no terminal) printed at most this often while a blob moves. */
const REDRAW_MS = 100;
const LINE_MS = 5000;

/**
 * Progress on stderr for blobs of 1 MiB or more, with bytes and rate: a bar when `live`, else a line every few
 * seconds while a blob moves and one when it is done (so a long transfer in CI logs is visibly alive).
 */
function progressBar(live: boolean): RegistryAccess['onProgress'] {
  const transfers = new Map<string, { started: number; shown: number }>();
  return (label, done, total) => {
    if (total < BAR_MIN_BYTES) return;
    const now = Date.now();
    let transfer = transfers.get(label);
    if (transfer === undefined || done === 0) transfers.set(label, (transfer = { started: now, shown: 0 }));
    const finished = done >= total;
    if (!finished && now - transfer.shown < (live ? REDRAW_MS : LINE_MS)) return;
    transfer.shown = now;
    const elapsed = Math.max(now - transfer.started, 1);
    const rate = `${formatBytes(Math.round((done / elapsed) * 1000))}/s`;
    if (finished) transfers.delete(label);
    if (!live) {
      process.stderr.write(
        finished
          ? `${label}: ${formatBytes(total)} transferred in ${formatDuration(elapsed)} (${rate})\n`
          : `${label}: ${formatBytes(done)}/${formatBytes(total)} (${rate})\n`,
      );
      return;
    }
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(
      `\r${label.slice(0, 30).padEnd(30)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${formatBytes(done)}/${formatBytes(total)} ${rate}  `,
    );
    if (finished) process.stderr.write('\n');
  };
}
