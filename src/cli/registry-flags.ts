import { Flags } from '@oclif/core';
import type { Credentials } from '../registry/auth.js';
import { signedInAccess } from '../registry/credentials.js';
import type { RegistryAccess } from '../registry/transfer.js';
import { formatBytes } from '../files/read-user-file.js';

/** Flags shared by every `aio registry` command. Passwords come from stdin or the environment, never a flag. */
export const registryFlags = {
  'plain-http': Flags.boolean({ description: 'talk HTTP, not HTTPS (local registries such as 127.0.0.1:5000)' }),
  insecure: Flags.boolean({ description: 'do not verify the TLS certificate (self-signed local registries only)' }),
  username: Flags.string({ char: 'u', description: 'user name; the password is read from stdin (--password-stdin) or AIO_REGISTRY_PASSWORD' }),
  'password-stdin': Flags.boolean({ description: 'read the password or token from standard input' }),
};

export interface RegistryFlagValues {
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
  return withProgressBar(signedInAccess({ plainHttp: flags['plain-http'], insecure: flags.insecure }, explicit), showProgress);
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

/** Progress on stderr for blobs of 1 MiB or more: a bar when `live`, else a line when each is done. */
function progressBar(live: boolean): RegistryAccess['onProgress'] {
  return (label, done, total) => {
    if (total < BAR_MIN_BYTES) return;
    if (!live) {
      if (done >= total) process.stderr.write(`${label}: ${formatBytes(total)} transferred\n`);
      return;
    }
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r${label.slice(0, 30).padEnd(30)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${formatBytes(done)}/${formatBytes(total)}`);
    if (done >= total) process.stderr.write('\n');
  };
}
