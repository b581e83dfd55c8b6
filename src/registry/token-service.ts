/**
 * The registry token service (the `realm` of a Bearer challenge): Docker's GET with Basic credentials, the OAuth2
 * refresh-token grant (identity tokens), and Azure Container Registry's exchange of an Entra ID token for a
 * refresh token. Tokens are returned to the client and never appear in messages.
 */
import { AioError } from '../errors.js';
import { basicHeader, type Credentials } from './auth.js';
import { discard, readJson, retrying, send, type Exchange, type TransportOptions } from './http.js';
import { MAX_DOCUMENT_BYTES } from '../util/remote-limits.js';

export interface TokenRequest {
  registry: string;
  realm: string;
  service: string | undefined;
  /** Space-separated scopes, e.g. `repository:thermostat:pull,push`. */
  scope: string | undefined;
}

/** ACR hosts in the public and sovereign clouds. */
const ACR_SUFFIXES = ['.azurecr.io', '.azurecr.cn', '.azurecr.us', '.azurecr.microsoft.scloud', '.azurecr.eaglex.ic.gov'];

export function isAcrHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return ACR_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/**
 * Does this challenge come from an ACR-style token service, which also accepts Entra ID tokens? ACR answers with
 * `realm="https://<host>/oauth2/token"`; the same protocol on the registry's own host is treated alike.
 */
export function speaksAcrExchange(request: TokenRequest): boolean {
  const realm = new URL(request.realm);
  return realm.pathname === '/oauth2/token' && (isAcrHost(request.registry) || realm.host === request.registry);
}

/** Docker's token flow: GET the realm with the scopes, anonymously or with Basic credentials. */
export async function basicToken(request: TokenRequest, credentials: Credentials | undefined, transport: TransportOptions): Promise<string> {
  const url = new URL(request.realm);
  if (request.service !== undefined) url.searchParams.set('service', request.service);
  if (request.scope !== undefined) for (const s of request.scope.split(' ')) url.searchParams.append('scope', s);
  const headers: Record<string, string> = credentials === undefined ? {} : { authorization: basicHeader(credentials) };
  const body = await tokenExchange(request, url.toString(), { method: 'GET', headers }, transport, credentials !== undefined);
  return required(request, body.token ?? body.access_token, 'token');
}

/** The OAuth2 refresh-token grant: `POST <realm>` trading an identity token for an access token for the scopes. */
export async function refreshTokenGrant(request: TokenRequest, refreshToken: string, transport: TransportOptions): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'aio-cli' });
  if (request.service !== undefined) form.set('service', request.service);
  if (request.scope !== undefined) form.set('scope', request.scope);
  const body = await tokenExchange(request, request.realm, postForm(form), transport, true);
  return required(request, body.access_token ?? body.token, 'access_token');
}

/** ACR's `POST /oauth2/exchange`: an Entra ID access token in, an ACR refresh token out. */
export async function exchangeEntraToken(request: TokenRequest, entraToken: string, transport: TransportOptions): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'access_token', service: request.service ?? request.registry, access_token: entraToken });
  const tenant = process.env['AZURE_TENANT_ID'];
  if (tenant) form.set('tenant', tenant);
  const url = new URL('/oauth2/exchange', request.realm).toString();
  const body = await tokenExchange(request, url, postForm(form), transport, true);
  return required(request, body.refresh_token, 'refresh_token');
}

function postForm(form: URLSearchParams): Exchange {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(form.toString()) };
}

interface TokenBody {
  token?: string;
  access_token?: string;
  refresh_token?: string;
}

/**
 * One token request with its retries (token grants are safe to repeat), bounded in time as a whole and in size:
 * a token answer larger than a manifest may be is refused before it is read.
 */
async function tokenExchange(request: TokenRequest, url: string, exchange: Exchange, transport: TransportOptions, hadCredentials: boolean): Promise<TokenBody> {
  const what = `a token from the token service of ${request.registry}`;
  const call = { what, host: new URL(url).host, idempotent: true, bounded: true };
  return retrying(call, transport, async (attempt) => {
    const response = await send(url, exchange, transport, attempt);
    if (!response.ok) {
      await discard(response);
      throw registryAuthError(request.registry, response.status, hadCredentials);
    }
    return readJson<TokenBody>(
      response,
      MAX_DOCUMENT_BYTES,
      what,
      url,
      () => new AioError('AIO_REGISTRY_PROTOCOL', `the token service of ${request.registry} did not answer JSON`),
    );
  });
}

function required(request: TokenRequest, value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw new AioError('AIO_REGISTRY_PROTOCOL', `the token service of ${request.registry} returned no ${field}`);
  return value;
}

export function registryAuthError(registry: string, status: number, hadCredentials: boolean): AioError {
  const denied = status === 403 || hadCredentials;
  const acr = isAcrHost(registry);
  return new AioError(
    denied ? 'AIO_REGISTRY_DENIED' : 'AIO_REGISTRY_UNAUTHORIZED',
    denied ? `${registry} refused these credentials (${status})` : `${registry} requires credentials (${status})`,
    {
      hint: denied
        ? `check the user name and password or token, and that the account may push/pull this repository${acr ? ' (AcrPush to push, AcrPull to pull)' : ''}`
        : acr
          ? `sign in to Azure (\`az login\`, or AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or a managed identity), or run \`aio registry login ${registry}\``
          : `run \`aio registry login ${registry}\`, or set AIO_REGISTRY_USERNAME and AIO_REGISTRY_PASSWORD`,
    },
  );
}
