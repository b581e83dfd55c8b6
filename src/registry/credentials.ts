import type { CredentialSource, Credentials } from './auth.js';
import { dockerCredentials } from './docker-config.js';
import { defaultEntraToken } from './entra-token.js';
import type { TransportOptions } from './http.js';
import type { RegistryAccess } from './transfer.js';

/** How every command reaches a registry: the credential chain below, then (ACR only) the Azure identity. */
export function signedInAccess(transport: TransportOptions, explicit?: Credentials): RegistryAccess {
  return { ...transport, credentials: credentialChain(explicit), entraToken: defaultEntraToken() };
}

/**
 * Where credentials come from, first match wins: explicit ones (flags), AIO_REGISTRY_USERNAME and
 * AIO_REGISTRY_PASSWORD, then the Docker config (credential helpers, then `auths`). None means anonymous.
 */
export function credentialChain(explicit?: Credentials): CredentialSource {
  const cache = new Map<string, Promise<Credentials | undefined>>();
  return (registry) => {
    let found = cache.get(registry);
    if (found === undefined) {
      found = resolve(registry, explicit);
      cache.set(registry, found);
    }
    return found;
  };
}

async function resolve(registry: string, explicit: Credentials | undefined): Promise<Credentials | undefined> {
  if (explicit !== undefined) return explicit;
  const username = process.env['AIO_REGISTRY_USERNAME'];
  const password = process.env['AIO_REGISTRY_PASSWORD'];
  if (username !== undefined && password !== undefined) return { username, password };
  return dockerCredentials(registry);
}
