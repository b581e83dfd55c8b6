import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { AioError } from '../errors.js';
import { IDENTITY_TOKEN_USER, type Credentials } from './auth.js';

/** `~/.docker/config.json`, or `$DOCKER_CONFIG/config.json`, as Docker and oras read it. */
export function dockerConfigPath(): string {
  return join(process.env['DOCKER_CONFIG'] ?? join(homedir(), '.docker'), 'config.json');
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

async function readConfig(path: string): Promise<DockerConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  try {
    return JSON.parse(text) as DockerConfig;
  } catch (error) {
    throw new AioError('AIO_DOCKER_CONFIG_INVALID', `${path} is not valid JSON: ${(error as Error).message}`, {
      hint: 'fix or remove the file; aio reads registry credentials from it',
    });
  }
}

/** Docker keys `auths` by host, sometimes with a scheme or path (`https://index.docker.io/v1/`). */
function hostKey(key: string): string {
  return key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/** Credentials for `registry` from the Docker config: a credential helper first, then `auths`. */
export async function dockerCredentials(registry: string, path = dockerConfigPath()): Promise<Credentials | undefined> {
  const config = await readConfig(path);
  const helper = config.credHelpers?.[registry] ?? config.credsStore;
  if (helper !== undefined) {
    const fromHelper = await helperGet(helper, registry);
    if (fromHelper !== undefined) return fromHelper;
  }
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (hostKey(key) !== registry) continue;
    if (entry.identitytoken) return { username: entry.username ?? IDENTITY_TOKEN_USER, password: entry.identitytoken, identityToken: true };
    if (entry.username !== undefined && entry.password !== undefined) return { username: entry.username, password: entry.password };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
  }
  return undefined;
}

/** Stores credentials the way `docker login` does: in the configured helper, else base64 in `auths`. */
export async function storeDockerCredentials(registry: string, credentials: Credentials, path = dockerConfigPath()): Promise<'helper' | 'config'> {
  const config = await readConfig(path);
  const helper = config.credHelpers?.[registry] ?? config.credsStore;
  if (helper !== undefined) {
    const username = credentials.identityToken ? '<token>' : credentials.username;
    await runHelper(helper, 'store', JSON.stringify({ ServerURL: registry, Username: username, Secret: credentials.password }));
    return 'helper';
  }
  const entry = credentials.identityToken
    ? { auth: Buffer.from(`${credentials.username}:`).toString('base64'), identitytoken: credentials.password }
    : { auth: Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64') };
  config.auths = { ...config.auths, [registry]: entry };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, '\t')}\n`, { mode: 0o600 });
  await rename(temp, path);
  return 'config';
}

async function helperGet(helper: string, registry: string): Promise<Credentials | undefined> {
  let output: string;
  try {
    output = await runHelper(helper, 'get', registry);
  } catch {
    // "credentials not found" is an error exit by protocol; anonymous access may still work.
    return undefined;
  }
  const parsed = JSON.parse(output) as { Username?: string; Secret?: string };
  if (!parsed.Secret) return undefined;
  // Helpers mark an identity token with the user name `<token>` (docker-credential-helpers' convention).
  if (parsed.Username === '<token>' || parsed.Username === undefined) return { username: IDENTITY_TOKEN_USER, password: parsed.Secret, identityToken: true };
  return { username: parsed.Username, password: parsed.Secret };
}

/** Runs `docker-credential-<helper> <action>` with the protocol's stdin; never echoes what it returns. */
function runHelper(helper: string, action: 'get' | 'store', input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(`docker-credential-${helper}`, [action], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', (error) =>
      reject(
        new AioError('AIO_DOCKER_CREDENTIAL_HELPER', `credential helper docker-credential-${helper} cannot run: ${error.message}`, {
          hint: `install docker-credential-${helper} or remove it from ${dockerConfigPath()}`,
        }),
      ),
    );
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new AioError('AIO_DOCKER_CREDENTIAL_HELPER', `docker-credential-${helper} ${action} failed (exit ${code})`)),
    );
    child.stdin.end(input);
  });
}
