import { AioError } from '../errors.js';

/** A parsed `<registry>/<repository>[:<tag>][@<digest>]` reference. */
export interface ArtifactReference {
  /** Host and optional port, e.g. `myacr.azurecr.io` or `127.0.0.1:5000`. */
  registry: string;
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** A DNS name or IPv4 address, or a bracketed IPv6 address, with an optional port. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Parses an artifact reference. The first path segment is the registry host (it must look like one: a dot, a
 * port, or `localhost`), since graphs name modules relative to a registry and a bare name would be ambiguous.
 */
export function parseReference(text: string, options: { requireTagOrDigest?: boolean } = {}): ArtifactReference {
  const fail = (why: string): never => {
    throw new AioError('AIO_REGISTRY_BAD_REFERENCE', `"${text}" is not a valid artifact reference: ${why}`, {
      hint: 'write <registry>/<repository>:<tag>, e.g. myacr.azurecr.io/graphs/thermostat:1.0.0 or 127.0.0.1:5000/thermostat:1.0.0',
    });
  };
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail(`the digest "${digest}" is not sha256:<64 hex digits>`);
  }
  const slash = rest.indexOf('/');
  if (slash === -1) fail('it names no registry host');
  const registry = rest.slice(0, slash);
  // The same mistake as a bad --registry, so the same code and exit status (2), wherever the host is written.
  if (!isRegistryHost(registry)) {
    throw new AioError('AIO_REGISTRY_BAD_HOST', `"${registry}" in "${text}" is not a registry host`, {
      hint: 'give a host[:port], e.g. myacr.azurecr.io/thermostat:1.0.0 or 127.0.0.1:5000/thermostat:1.0.0',
    });
  }
  let repository = rest.slice(slash + 1);
  let tag: string | undefined;
  const colon = repository.lastIndexOf(':');
  if (colon !== -1) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
    if (!TAG.test(tag)) fail(`the tag "${tag}" is not valid`);
  }
  if (!REPOSITORY.test(repository)) fail(`the repository "${repository}" must be lower-case words separated by / . _ or -`);
  if (options.requireTagOrDigest && tag === undefined && digest === undefined) fail('it has no :tag or @digest');
  return { registry, repository, tag, digest };
}

/** A host[:port] that names a registry: well formed, and a dot, a port, `localhost` or an IPv6 address. */
export function isRegistryHost(host: string): boolean {
  if (!HOST.test(host)) return false;
  return host === 'localhost' || host.startsWith('localhost:') || host.includes('.') || host.includes(':') || host.startsWith('[');
}

/** The tag or digest to address a manifest by: the digest wins, as it pins content. */
export function manifestReference(ref: ArtifactReference): string {
  const reference = ref.digest ?? ref.tag;
  if (reference === undefined)
    throw new AioError('AIO_REGISTRY_BAD_REFERENCE', `${formatReference(ref)} has no :tag or @digest`, { hint: 'add :<tag> or @sha256:<digest>' });
  return reference;
}

export function formatReference(ref: ArtifactReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}
