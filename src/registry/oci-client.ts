import { AioError } from '../errors.js';
import { basicHeader, parseChallenge, redact, type Challenge, type CredentialSource, type EntraTokenSource } from './auth.js';
import type { Descriptor } from './artifacts.js';
import { checkBlobFits, checkBlobSize, readRange, receiveBlob, sizeOf, type BlobSource } from './blob-file.js';
import { checkDigest, sha256Digest, verifyDigest } from './digest.js';
import {
  answeredBy,
  discard,
  limitsOf,
  readBounded,
  readErrorText,
  readJson,
  retrying,
  send,
  type Attempt,
  type Exchange,
  type TransportOptions,
} from './http.js';
import { MAX_DOCUMENT_BYTES } from '../util/remote-limits.js';
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
    await this.call('GET', '/v2/', { scope: undefined, expect: [200], what: `the API check of ${this.registry}` }, discard);
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const path = `/v2/${repository}/blobs/${checkDigest(digest, `a blob of ${this.registry}/${repository}`)}`;
    return this.call('HEAD', path, { scope: pull(repository), expect: [200, 404], what: `blob ${digest}` }, async (response) => {
      await discard(response);
      return response.status === 200;
    });
  }

  /**
   * Uploads a blob unless the registry already has it; returns whether bytes were sent. The blob is bytes in memory
   * or a file on disk (a copy's download), read one chunk at a time, so a large one is never held whole.
   */
  async pushBlob(repository: string, descriptor: Descriptor, source: BlobSource, onProgress?: Progress): Promise<'uploaded' | 'present'> {
    // A blob already there moves no bytes, so it shows no progress (the summary counts it as present).
    if (await this.blobExists(repository, descriptor.digest)) return 'present';
    const size = sizeOf(source);
    onProgress?.(0, size);
    const scope = push(repository);
    const what = `upload of blob ${descriptor.digest}`;
    let location = await this.call('POST', `/v2/${repository}/blobs/uploads/`, { scope, expect: [202], headers: { 'content-length': '0' }, what }, (r) =>
      this.location(r, `/v2/${repository}/blobs/uploads/`),
    );
    const chunkSize = this.options.chunkSize ?? DEFAULT_CHUNK;
    let offset = 0;
    if (size > chunkSize) {
      while (offset < size) {
        const chunk = await readRange(source, offset, Math.min(chunkSize, size - offset));
        const at: string = location;
        const headers = {
          'content-type': 'application/octet-stream',
          'content-range': `${offset}-${offset + chunk.length - 1}`,
          'content-length': String(chunk.length),
        };
        location = await this.call('PATCH', at, { scope, expect: [202], body: chunk, headers, what, bounded: false }, (r) => this.location(r, at));
        offset += chunk.length;
        onProgress?.(offset, size);
      }
    }
    const url = new URL(location, this.base);
    url.searchParams.set('digest', descriptor.digest);
    const rest = await readRange(source, offset, size - offset);
    const headers = { 'content-type': 'application/octet-stream', 'content-length': String(rest.length) };
    await this.call('PUT', url.toString(), { scope, expect: [201], body: rest, headers, what, bounded: false }, discard);
    onProgress?.(size, size);
    return 'uploaded';
  }

  /** Downloads a small blob (a graph, a config) into memory, bounded by its declared size, and checks its digest. */
  async fetchBlob(repository: string, descriptor: Descriptor): Promise<Buffer> {
    const digest = checkDigest(descriptor.digest, `a layer of ${this.registry}/${repository}`);
    const what = `blob ${digest} of ${this.registry}/${repository}`;
    checkBlobSize(descriptor, limitsOf(this.options).maxBlobBytes, what);
    const path = `/v2/${repository}/blobs/${digest}`;
    const bytes = await this.call('GET', path, { scope: pull(repository), expect: [200], what, bounded: false }, (response) =>
      readBounded(response, descriptor.size, what, this.url(path)),
    );
    verifyDigest(bytes, digest, what);
    return bytes;
  }

  /**
   * Downloads a blob straight to `file` (never whole in memory), refusing before the download one larger than
   * --max-blob-size or the free disk; the file appears only complete and verified. Stalls are retried.
   */
  async downloadBlob(repository: string, descriptor: Descriptor, file: string, onProgress?: Progress): Promise<void> {
    const digest = checkDigest(descriptor.digest, `a layer of ${this.registry}/${repository}`);
    const what = `blob ${digest} of ${this.registry}/${repository}`;
    await checkBlobFits(descriptor, file, limitsOf(this.options).maxBlobBytes, what);
    const path = `/v2/${repository}/blobs/${digest}`;
    await this.call('GET', path, { scope: pull(repository), expect: [200], what, bounded: false }, (response) =>
      receiveBlob(response, this.url(path), file, descriptor, what, onProgress),
    );
  }

  /** Puts a manifest under a tag (or digest); returns its digest as the registry computed it. */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const reported = await this.call(
      'PUT',
      `/v2/${repository}/manifests/${reference}`,
      {
        scope: push(repository),
        expect: [201],
        body: bytes,
        headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
        what: `manifest ${this.registry}/${repository}:${reference}`,
      },
      async (response) => {
        await discard(response);
        return response.headers.get('docker-content-digest');
      },
    );
    const digest = sha256Digest(bytes);
    if (reported !== null && reported !== digest) {
      throw new AioError('AIO_REGISTRY_DIGEST_MISMATCH', `the registry stored the manifest as ${reported}, but its bytes hash to ${digest}`);
    }
    return digest;
  }

  /** Gets a manifest with the Accept header registries require; the digest is always checked. */
  async getManifest(repository: string, reference: string): Promise<Manifest> {
    const what = `manifest ${this.registry}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
    const path = `/v2/${repository}/manifests/${reference}`;
    const { bytes, headers } = await this.call(
      'GET',
      path,
      { scope: pull(repository), expect: [200], headers: { accept: MANIFEST_ACCEPT }, what },
      async (response) => ({
        bytes: await readBounded(response, MAX_DOCUMENT_BYTES, what, this.url(path)),
        headers: response.headers,
      }),
    );
    const header = headers.get('docker-content-digest');
    const expected = reference.startsWith('sha256:') ? reference : header === null ? null : checkDigest(header, `the Docker-Content-Digest header of ${what}`);
    if (expected !== null) verifyDigest(bytes, expected, what);
    const mediaType = headers.get('content-type')?.split(';')[0]?.trim() ?? '';
    return { bytes, mediaType, digest: expected ?? sha256Digest(bytes) };
  }

  /**
   * The digest a tag points at now, by HEAD (no manifest body): what following a tag polls. Undefined when the
   * registry does not say (no Docker-Content-Digest header); then a GET tells.
   */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const what = `manifest ${this.registry}/${repository}:${reference}`;
    const header = await this.call(
      'HEAD',
      `/v2/${repository}/manifests/${reference}`,
      { scope: pull(repository), expect: [200], headers: { accept: MANIFEST_ACCEPT }, what },
      async (response) => {
        await discard(response);
        return response.headers.get('docker-content-digest');
      },
    );
    return header === null ? undefined : checkDigest(header, `the Docker-Content-Digest header of ${what}`);
  }

  /** All tags of a repository, following `Link: <…>; rel="next"` pages. */
  async listTags(repository: string, pageSize = 100): Promise<string[]> {
    const tags: string[] = [];
    let next: string | undefined = `/v2/${repository}/tags/list?n=${pageSize}`;
    for (let page = 0; next !== undefined && page < 10_000; page++) {
      const at: string = next;
      const what = `the tags of ${this.registry}/${repository}`;
      const page_ = await this.call('GET', at, { scope: pull(repository), expect: [200, 404], what }, async (response) => {
        if (response.status === 404) {
          await discard(response);
          throw new AioError('AIO_REGISTRY_NOT_FOUND', `repository ${this.registry}/${repository} does not exist`, {
            hint: 'check the name; push something to it first',
          });
        }
        const body = await readJson<{ tags?: string[] | null }>(response, MAX_DOCUMENT_BYTES, what, this.url(at), () => this.notJson(what));
        return { tags: body.tags ?? [], link: response.headers.get('link') };
      });
      tags.push(...page_.tags);
      next = nextLink(page_.link);
    }
    return tags;
  }

  /** Artifacts that refer to a digest (signatures, SBOMs); an empty list where the registry lacks the API. */
  async referrers(repository: string, digest: string): Promise<Descriptor[]> {
    const what = `the referrers of ${this.registry}/${repository}@${digest}`;
    const path = `/v2/${repository}/referrers/${checkDigest(digest, what)}`;
    const index = await this.call(
      'GET',
      path,
      { scope: pull(repository), expect: [200, 404], headers: { accept: 'application/vnd.oci.image.index.v1+json' }, what },
      async (response) => {
        if (response.status === 404) return discard(response).then(() => ({ manifests: [] }));
        return readJson<{ manifests?: Descriptor[] }>(response, MAX_DOCUMENT_BYTES, what, this.url(path), () => this.notJson(what));
      },
    );
    const manifests = Array.isArray(index.manifests) ? index.manifests : [];
    for (const m of manifests) checkDigest(m.digest, what);
    return manifests;
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

  /** A path on this registry, or an absolute URL it gave (an upload Location), as a URL string. */
  private url(pathOrUrl: string): string {
    return new URL(pathOrUrl, this.base).toString();
  }

  /**
   * One call with its retries: send (answering a 401 challenge), check the status, then `read` the answer within
   * the same attempt, so a body that stalls part-way is retried like a connection that never answered.
   */
  private call<T>(method: string, pathOrUrl: string, options: RequestOptions, read: (response: Response) => T | Promise<T>): Promise<T> {
    const call = { what: options.what, host: this.registry, idempotent: IDEMPOTENT.has(method), bounded: options.bounded ?? true };
    return retrying(call, this.options, async (attempt) => read(await this.request(method, pathOrUrl, options, attempt)));
  }

  private async request(method: string, pathOrUrl: string, options: RequestOptions, attempt: Attempt): Promise<Response> {
    const url = this.url(pathOrUrl);
    const exchange = (authorization: string | undefined): Exchange => {
      const headers: Record<string, string> = { 'user-agent': 'aio-cli', ...options.headers };
      if (authorization !== undefined) headers['authorization'] = authorization;
      return { method, headers, ...(options.body === undefined ? {} : { body: options.body }) };
    };
    let response = await send(url, exchange(this.authorization(options.scope)), this.options, attempt);
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      await discard(response);
      const header = await this.answer(challenge, options.scope);
      if (header !== undefined) response = await send(url, exchange(header), this.options, attempt);
    }
    if (!options.expect.includes(response.status)) throw await this.failure(method, url, response);
    return response;
  }

  private notJson(what: string): AioError {
    return new AioError('AIO_REGISTRY_PROTOCOL', `${this.registry} did not answer JSON for ${what}`);
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

  /** The error for an unexpected status, naming the host that gave it: after a redirect, not the registry. */
  private async failure(method: string, url: string, response: Response): Promise<AioError> {
    const from = answeredBy(response, url);
    const redirected = from.host !== new URL(url).host;
    const text = redact(await readErrorText(response));
    if (!redirected && (response.status === 401 || response.status === 403)) {
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
    const where = redirected ? `${from.host}${from.pathname} (where ${this.registry} redirected ${new URL(url).pathname})` : `${this.registry}${from.pathname}`;
    const hint = redirected
      ? `the registry handed the request to ${from.host}, which refused it; retry later, and if it persists, report it to the registry's operator`
      : response.status === 404
        ? 'check the repository name and tag'
        : 'retry later; if it persists, check the registry';
    return new AioError(code, `${method} ${where} failed: ${response.status} ${response.statusText}${detail ? ` (${detail})` : ''}`, { hint });
  }
}

interface RequestOptions {
  scope: string | undefined;
  expect: number[];
  body?: Buffer;
  headers?: Record<string, string>;
  /** What the call fetches or sends, for messages. */
  what: string;
  /** Bounded as a whole by the request timeout (default); blob transfers are bounded by the idle timeout only. */
  bounded?: boolean;
}

/** Methods repeated after a dropped or stalled connection; POST and PATCH (upload steps) are not. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

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
