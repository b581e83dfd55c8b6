import { AioError } from '../errors.js';
import { IDENTITY_TOKEN_USER, parseChallenge, type Credentials, type EntraTokenSource } from './auth.js';
import { storeDockerCredentials } from './docker-config.js';
import { discard, retrying, send, type TransportOptions } from './http.js';
import { OciClient } from './oci-client.js';
import { exchangeEntraToken, refreshTokenGrant, speaksAcrExchange, type TokenRequest } from './token-service.js';

export interface LoginResult {
  registry: string;
  method: 'password' | 'azure';
  /** Where the credentials went: a Docker credential helper or `auths` in the Docker config. */
  storedIn: 'helper' | 'config';
}

/**
 * Checks credentials against the registry, then stores them the way `docker login` (or, with Azure, `az acr
 * login`) does, so Docker, oras and aio share one sign-in. Nothing is stored unless the registry accepted it.
 */
export async function login(registry: string, credentials: Credentials, transport: TransportOptions): Promise<LoginResult> {
  await new OciClient({ registry, ...transport, credentials: async () => credentials }).ping();
  return { registry, method: 'password', storedIn: await storeDockerCredentials(registry, credentials) };
}

/** ACR sign-in with the Azure identity: Entra token → `/oauth2/exchange` → refresh token, stored as an identity token. */
export async function loginWithAzure(registry: string, entraToken: EntraTokenSource, transport: TransportOptions): Promise<LoginResult> {
  const request = await tokenServiceOf(registry, transport);
  const entra = await entraToken();
  if (entra === undefined) {
    throw new AioError('AIO_AZURE_NOT_SIGNED_IN', 'no Azure identity is available to sign in to the registry', {
      hint: 'run `az login`, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET, or run where a managed identity is assigned',
    });
  }
  const refreshToken = await exchangeEntraToken(request, entra, transport);
  await refreshTokenGrant(request, refreshToken, transport);
  const storedIn = await storeDockerCredentials(registry, { username: IDENTITY_TOKEN_USER, password: refreshToken, identityToken: true });
  return { registry, method: 'azure', storedIn };
}

/** The registry's token service, from the challenge of an anonymous `GET /v2/`; it must speak ACR's exchange. */
async function tokenServiceOf(registry: string, transport: TransportOptions): Promise<TokenRequest> {
  const url = `${transport.plainHttp ? 'http' : 'https'}://${registry}/v2/`;
  const call = { what: `the API check of ${registry}`, host: registry, idempotent: true, bounded: true };
  const header = await retrying(call, transport, async (attempt) => {
    const response = await send(url, { method: 'GET', headers: { 'user-agent': 'aio-cli' } }, transport, attempt);
    await discard(response);
    return response.headers.get('www-authenticate');
  });
  const challenge = parseChallenge(header);
  const realm = challenge?.scheme === 'bearer' ? challenge.params['realm'] : undefined;
  const request: TokenRequest | undefined =
    realm === undefined ? undefined : { registry, realm, service: challenge!.params['service'] ?? registry, scope: undefined };
  if (request === undefined || !speaksAcrExchange(request)) {
    throw new AioError('AIO_REGISTRY_NOT_ACR', `${registry} does not offer Azure Container Registry's token exchange, so --azure cannot sign in to it`, {
      hint: `sign in with a user name instead: aio registry login ${registry} -u <user> --password-stdin`,
    });
  }
  return request;
}
