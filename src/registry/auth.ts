/** Registry authentication: parsing challenges and the credentials answering them. Secrets never leave this layer. */

export interface Credentials {
  username: string;
  password: string;
  /**
   * The password is an OAuth2 refresh token (Docker's `identitytoken`, what `az acr login` stores): it is traded
   * at the token realm with `grant_type=refresh_token`, never sent as Basic.
   */
  identityToken?: boolean;
}

/** The user name Docker and ACR put beside an identity token. */
export const IDENTITY_TOKEN_USER = '00000000-0000-0000-0000-000000000000';

/** An Entra ID access token for Azure Container Registry's exchange, or undefined when no Azure identity is signed in. */
export type EntraTokenSource = () => Promise<string | undefined>;

/** Finds credentials for a registry host (flags, environment, Docker config), or none for anonymous access. */
export type CredentialSource = (registry: string) => Promise<Credentials | undefined>;

export const anonymous: CredentialSource = async () => undefined;

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** Parses `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` (quoted values may hold commas). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (header === null) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (match === null) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  for (const m of match[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return { scheme, params };
}

export function basicHeader(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** Replaces anything that looks like a credential in text that may reach a user (error bodies, URLs). */
export function redact(text: string): string {
  return text
    .replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
    .replace(/("?(?:access_token|refresh_token|token|password)"?\s*[:=]\s*"?)[^"&,\s}]+/gi, '$1***')
    .replace(/\/\/[^/@\s]+:[^/@\s]+@/g, '//***@');
}
