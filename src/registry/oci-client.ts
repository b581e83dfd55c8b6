import { AioError } from '../errors.js';
import { basicHeader, parseChallenge, redact, type Challenge, type CredentialSource, type EntraTokenSource } from './auth.js';
import type { Descriptor } from './artifacts.js';
import { sha256Digest, verifyDigest } from './digest.js';
import { describeNetworkError, fetchWithRetry, type TransportOptions } from './http.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import { basicToken, exchangeEntraToken, refreshTokenGrant, registryAuthError, speaksAcrExchange, type TokenRequest } from './token-service.js';

export interface OciClientOptions extends TransportOptions {
  registry: string;
  credentials: CredentialSource;
  /** Entra ID tokens for ACR, used when no other credentials are configured for the registry. */
  entraToken?: EntraTokenSource;
  /** Blobs larger than this are uploaded in chunks of this size (PATCH), smaller ones in one PUT. */
  chunkSize?: number;
}

export interface Manifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export type Progress = (done: number, total: number) => void;

const DEFAULT_CHUNK = 8 * 1024 * 1024;

/**
 * A small OCI distribution-spec 1.1 client on `fetch`: any registry, not only ACR (whose SDK mangles absolute
 * Location headers). Handles Basic and Bearer challenges itself; tokens are cached per scope and never printed.
 */
export class OciClient {
  readonly registry: string;
  private readonly base: string;
  private readonly options: OciClientOptions;
  private readonly tokens = new Map<string, string>();
  private basic: string | undefined;
  private refreshToken: Promise<string | undefined> | undefined;

  constructor(options: OciClientOptions) {
    this.options = options;
    this.registry = options.registry;
    this.base = `${options.plainHttp ? 'http' : 'https'}://${options.registry}`;
  }

  /** `GET /v2/`: is this an OCI registry we can talk to (with these credentials)? */
  async ping(): Promise<void> {
    await this.request('GET', '/v2/', { scope: undefined, expect: [200] });
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const response = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, { scope: pull(repository), expect: [200, 404] });
    return response.status === 200;
  }

  /** Uploads a blob unless the registry already has it; returns whether bytes were sent. */
  async pushBlob(repository: string, descriptor: Descriptor, bytes: Buffer, onProgress?: Progress): Promise<'uploaded' | 'present'> {
    if (await this.blobExists(repository, descriptor.digest)) {
      onProgress?.(bytes.length, bytes.length);
      return 'present';
    }
    const scope = push(repository);
    const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, { scope, expect: [202], headers: { 'content-length': '0' } });
    let location = this.location(start, `/v2/${repository}/blobs/uploads/`);
    const chunkSize = this.options.chunkSize ?? DEFAULT_CHUNK;
    let offset = 0;
    if (bytes.length > chunkSize) {
      while (offset < bytes.length) {
        const chunk = bytes.subarray(offset, Math.min(offset + chunkSize, bytes.length));
        const patched = await this.request('PATCH', location, {
          scope,
          expect: [202],
          body: chunk,
          headers: {
            'content-type': 'application/octet-stream',
            'content-range': `${offset}-${offset + chunk.length - 1}`,
            'content-length': String(chunk.length),
          },
        });
        location = this.location(patched, location);
        offset += chunk.length;
        onProgress?.(offset, bytes.length);
      }
    }
    const url = new URL(location, this.base);
    url.searchParams.set('digest', descriptor.digest);
    const rest = bytes.subarray(offset);
    await this.request('PUT', url.toString(), {
      scope,
      expect: [201],
      body: rest,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(rest.length) },
    });
    onProgress?.(bytes.length, bytes.length);
    return 'uploaded';
  }

  /** Downloads a blob and checks it against its digest. */
  async fetchBlob(repository: string, descriptor: Descriptor): Promise<Buffer> {
    const response = await this.request('GET', `/v2/${repository}/blobs/${descriptor.digest}`, { scope: pull(repository), expect: [200] });
    const bytes = Buffer.from(await response.arrayBuffer());
    verifyDigest(bytes, descriptor.digest, `blob ${descriptor.digest} of ${this.registry}/${repository}`);
    return bytes;
  }

  /** Puts a manifest under a tag (or digest); returns its digest as the registry computed it. */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const response = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
      scope: push(repository),
      expect: [201],
      body: bytes,
      headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
    });
    const digest = sha256Digest(bytes);
    const reported = response.headers.get('docker-content-digest');
    if (reported !== null && reported !== digest) {
      throw new AioError('AIO_REGISTRY_DIGEST_MISMATCH', `the registry stored the manifest as ${reported}, but its bytes hash to ${digest}`);
    }
    return digest;
  }

  /** Gets a manifest with the Accept header registries require; the digest is always checked. */
  async getManifest(repository: string, reference: string): Promise<Manifest> {
    const response = await this.request('GET', `/v2/${repository}/manifests/${reference}`, {
      scope: pull(repository),
      expect: [200],
      headers: { accept: MANIFEST_ACCEPT },
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const expected = reference.startsWith('sha256:') ? reference : response.headers.get('docker-content-digest');
    if (expected !== null) verifyDigest(bytes, expected, `manifest ${this.registry}/${repository}@${reference}`);
    const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
    return { bytes, mediaType, digest: expected ?? sha256Digest(bytes) };
  }

  /**
   * The digest a tag points at now, by HEAD (no manifest body): what following a tag polls. Undefined when the
   * registry does not say (no Docker-Content-Digest header); then a GET tells.
   */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const response = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, {
      scope: pull(repository),
      expect: [200],
      headers: { accept: MANIFEST_ACCEPT },
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.headers.get('docker-content-digest') ?? undefined;
  }

  /** All tags of a repository, following `Link: <…>; rel="next"` pages. */
  async listTags(repository: string, pageSize = 100): Promise<string[]> {
    const tags: string[] = [];
    let next: string | undefined = `/v2/${repository}/tags/list?n=${pageSize}`;
    for (let page = 0; next !== undefined && page < 10_000; page++) {
      const response: Response = await this.request('GET', next, { scope: pull(repository), expect: [200, 404] });
      if (response.status === 404) {
        throw new AioError('AIO_REGISTRY_NOT_FOUND', `repository ${this.registry}/${repository} does not exist`, {
          hint: 'check the name; push something to it first',
        });
      }
      const body = (await response.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      next = nextLink(response.headers.get('link'));
    }
    return tags;
  }

  /** Artifacts that refer to a digest (signatures, SBOMs); an empty list where the registry lacks the API. */
  async referrers(repository: string, digest: string): Promise<Descriptor[]> {
    const response = await this.request('GET', `/v2/${repository}/referrers/${digest}`, {
      scope: pull(repository),
      expect: [200, 404],
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
    });
    if (response.status === 404) return [];
    const index = (await response.json()) as { manifests?: Descriptor[] };
    return index.manifests ?? [];
  }

  // --- transport and auth --------------------------------------------------------------------------------

  private location(response: Response, fallback: string): string {
    const location = response.headers.get('location');
    if (location === null) {
      throw new AioError('AIO_REGISTRY_PROTOCOL', `${this.registry} answered an upload without a Location header`);
    }
    // Relative or absolute, with or without a query: resolve against the URL the request went to.
    return new URL(location, new URL(fallback, this.base)).toString();
  }

  private async request(
    method: string,
    pathOrUrl: string,
    options: { scope: string | undefined; expect: number[]; body?: Buffer; headers?: Record<string, string> },
  ): Promise<Response> {
    const url = new URL(pathOrUrl, this.base).toString();
    let response = await this.send(method, url, options, this.authorization(options.scope));
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      await response.arrayBuffer().catch(() => undefined);
      const header = await this.answer(challenge, options.scope);
      if (header !== undefined) response = await this.send(method, url, options, header);
    }
    if (!options.expect.includes(response.status)) throw await this.failure(method, url, response);
    return response;
  }

  private async send(
    method: string,
    url: string,
    options: { body?: Buffer; headers?: Record<string, string> },
    authorization: string | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': 'aio-cli', ...options.headers };
    if (authorization !== undefined) headers['authorization'] = authorization;
    try {
      return await fetchWithRetry(url, { method, headers, ...(options.body === undefined ? {} : { body: options.body }) }, this.options);
    } catch (error) {
      throw new AioError('AIO_REGISTRY_UNREACHABLE', `cannot reach ${this.registry}: ${describeNetworkError(error)}`, {
        hint: this.options.plainHttp
          ? 'check the host and port, and that the registry is running'
          : 'check the host and port; for a local registry without TLS, add --plain-http',
      });
    }
  }

  private authorization(scope: string | undefined): string | undefined {
    const token = this.tokens.get(scope ?? '');
    return token === undefined ? this.basic : `Bearer ${token}`;
  }

  /**
   * Answers a 401 challenge: Basic with credentials; Bearer with a token from the realm, fetched with Basic
   * credentials, an identity token, or (ACR) an Entra ID token exchanged for a refresh token.
   */
  private async answer(challenge: Challenge | undefined, scope: string | undefined): Promise<string | undefined> {
    if (challenge === undefined) return undefined;
    const credentials = await this.options.credentials(this.registry);
    if (challenge.scheme === 'basic') {
      if (credentials === undefined || credentials.identityToken) return undefined;
      this.basic = basicHeader(credentials);
      return this.basic;
    }
    const realm = challenge.params['realm'];
    if (realm === undefined) return undefined;
    const request: TokenRequest = { registry: this.registry, realm, service: challenge.params['service'], scope: challenge.params['scope'] ?? scope };
    const refreshToken = credentials?.identityToken ? credentials.password : credentials === undefined ? await this.acrRefreshToken(request) : undefined;
    const token =
      refreshToken !== undefined
        ? await refreshTokenGrant(request, refreshToken, this.options)
        : await basicToken(request, credentials?.identityToken ? undefined : credentials, this.options);
    this.tokens.set(scope ?? '', token);
    return `Bearer ${token}`;
  }

  /** An ACR refresh token from the signed-in Azure identity, once per client; undefined when there is none. */
  private async acrRefreshToken(request: TokenRequest): Promise<string | undefined> {
    if (this.options.entraToken === undefined || !speaksAcrExchange(request)) return undefined;
    this.refreshToken ??= this.options.entraToken().then((entra) => (entra === undefined ? undefined : exchangeEntraToken(request, entra, this.options)));
    return this.refreshToken;
  }

  private async failure(method: string, url: string, response: Response): Promise<AioError> {
    const text = redact(await response.text().catch(() => ''));
    const path = new URL(url).pathname;
    if (response.status === 401 || response.status === 403) {
      return registryAuthError(this.registry, response.status, (await this.options.credentials(this.registry)) !== undefined);
    }
    let detail = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
      if (parsed.errors?.length) detail = parsed.errors.map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ');
    } catch {
      // not a distribution-spec error body; the text will do
    }
    const code = response.status === 404 ? 'AIO_REGISTRY_NOT_FOUND' : 'AIO_REGISTRY_REQUEST_FAILED';
    return new AioError(code, `${method} ${this.registry}${path} failed: ${response.status} ${response.statusText}${detail ? ` (${detail})` : ''}`, {
      hint: response.status === 404 ? 'check the repository name and tag' : 'retry later; if it persists, check the registry',
    });
  }
}

function pull(repository: string): string {
  return `repository:${repository}:pull`;
}

function push(repository: string): string {
  return `repository:${repository}:pull,push`;
}

/** The `next` target of an RFC 8288 Link header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m !== null) return m[1];
  }
  return undefined;
}
