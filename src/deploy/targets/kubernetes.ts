import {
  ApiException,
  createConfiguration,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  ResponseContext,
  ServerConfiguration,
  wrapHttpLibrary,
  type HttpLibrary,
  type KubernetesObject as KubeObject,
} from '@kubernetes/client-node';
import type { Agent } from 'node:http';
import { boundedRequest, RemoteLimitExceeded } from '../../util/bounded-request.js';
import { isDeepStrictEqual } from 'node:util';
import { AioError, errorMessage } from '../../errors.js';
import { formatDuration, remoteLimits, type RemoteLimits } from '../../util/remote-limits.js';
import type { Deployable } from '../deployable.js';
import { formatNodeChanges, nodeChanges, type NodeChange } from '../node-changes.js';
import type { KubernetesObject } from '../render/kubernetes.js';

/** The field manager aio applies as; `kubectl get -o yaml --show-managed-fields` shows it. */
export const FIELD_MANAGER = 'aio';

export interface KubernetesApplyOptions {
  dryRun: boolean;
  wait: boolean;
  timeoutMs: number;
  pollMs?: number;
  onProgress?: (line: string) => void;
}

export interface AppliedObject {
  kind: string;
  name: string;
  namespace: string;
  /** False when the server already held exactly this (the second deploy of the same plan). */
  changed: boolean;
}

export interface KubernetesApplyResult {
  context: string;
  dryRun: boolean;
  objects: AppliedObject[];
  /** Per node of the DataflowGraph: the spec's node list the server held against the one applied. */
  nodes: NodeChange[];
  /** The DataflowGraph's provisioning state after waiting, or undefined without a wait. */
  state: string | undefined;
}

/**
 * Server-side apply of the RegistryEndpoints and the DataflowGraph with the `aio` field manager (forcing
 * ownership of the fields aio sets), then a wait until the graph reports its provisioning state.
 */
export async function applyToKubernetes(target: Deployable, options: KubernetesApplyOptions): Promise<KubernetesApplyResult> {
  const binding = target.environment.kubernetes!;
  const config = new KubeConfig();
  try {
    if (binding.kubeconfig !== undefined) config.loadFromFile(binding.kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw new AioError('AIO_KUBE_CONFIG', `cannot read the kubeconfig: ${errorMessage(error)}`, {
      hint: 'set KUBECONFIG, or kubernetes.kubeconfig in aio.yaml',
    });
  }
  if (binding.context !== undefined) {
    if (!config.getContexts().some((c) => c.name === binding.context)) {
      throw new AioError('AIO_KUBE_CONTEXT_UNKNOWN', `the kubeconfig has no context "${binding.context}"`, {
        hint: `contexts: ${
          config
            .getContexts()
            .map((c) => c.name)
            .join(', ') || '(none)'
        }; fix kubernetes.context in aio.yaml`,
        location: { file: target.project.file, ...target.environment.positionOf(['kubernetes', 'context']) },
      });
    }
    config.setCurrentContext(binding.context);
  }
  const remote: Remote = { limits: remoteLimits({}, target.project.remote), server: config.getCurrentCluster()?.server ?? 'the API server' };
  boundRequests(config, remote.limits.requestTimeoutMs);
  const api = BoundedObjectApi.make(config, remote.limits);
  const objects: AppliedObject[] = [];
  let graph: KubeObject | undefined;
  let nodes: NodeChange[] = [];
  for (const object of target.kubernetes()) {
    const before = await readOrUndefined(api, object, remote);
    if (object.kind === 'DataflowGraph') {
      nodes = nodeChanges((before as { spec?: Record<string, unknown> } | undefined)?.spec, object.spec);
      options.onProgress?.(formatNodeChanges(object.metadata.name, nodes));
    }
    const applied = await call(
      () => api.patch(object as KubeObject, undefined, options.dryRun ? 'All' : undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
      object,
      remote,
    );
    const changed = before === undefined || !isDeepStrictEqual(strip(before), strip(applied));
    objects.push({ kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace, changed });
    options.onProgress?.(
      `${object.kind.toLowerCase()}/${object.metadata.name} ${options.dryRun ? 'would be ' : ''}${changed ? (before === undefined ? 'created' : 'configured') : 'unchanged'}`,
    );
    if (object.kind === 'DataflowGraph') graph = applied;
  }
  const context = config.getCurrentContext();
  if (options.dryRun || !options.wait || graph === undefined) return { context, dryRun: options.dryRun, objects, nodes, state: undefined };
  const state = await waitUntilProvisioned(api, graph, options, remote);
  return { context, dryRun: false, objects, nodes, state };
}

/** What the server holds, without what it changes on every write. */
function strip(object: KubeObject): unknown {
  return { labels: object.metadata?.labels ?? {}, spec: (object as { spec?: unknown }).spec };
}

/** The limits of an apply and the server it talks to, for retries and messages. */
interface Remote {
  limits: RemoteLimits;
  server: string;
}

/**
 * Every request the client sends gets an abort signal that fires after the request timeout: the Kubernetes client
 * has no timeout of its own, and a server that accepts the connection and never answers would hang the deploy.
 */
function boundRequests(config: KubeConfig, timeoutMs: number): void {
  if (timeoutMs <= 0) return;
  const authenticate = config.applySecurityAuthentication.bind(config);
  config.applySecurityAuthentication = async (context) => {
    await authenticate(context);
    context.setSignal(AbortSignal.timeout(timeoutMs));
  };
}

/** KubernetesObjectApi.makeApiClient, with the bounded transport (makeApiClient takes none). */
class BoundedObjectApi extends KubernetesObjectApi {
  static make(config: KubeConfig, limits: RemoteLimits): KubernetesObjectApi {
    const server = new ServerConfiguration(config.getCurrentCluster()?.server ?? '', {});
    const api = new BoundedObjectApi(createConfiguration({ baseServer: server, authMethods: { default: config }, httpApi: boundedHttpLibrary(limits) }));
    api.setDefaultNamespace(config);
    return api;
  }
}

/**
 * The client's transport, bounded like every remote call: connect and idle timeouts, and an answer of at most 4 MiB
 * (the API server answers JSON documents). The kubeconfig's agent (its CA, client certificate, proxy) is kept.
 */
function boundedHttpLibrary(limits: RemoteLimits): HttpLibrary {
  return wrapHttpLibrary({
    send: async (request) => {
      const body = request.getBody();
      if (body !== undefined && typeof body !== 'string') throw new Error(`a Kubernetes request body of an unexpected kind (${typeof body})`);
      const answer = await boundedRequest(
        {
          url: request.getUrl(),
          method: request.getHttpMethod(),
          headers: request.getHeaders(),
          body,
          signal: request.getSignal() as AbortSignal | undefined,
          agent: request.getAgent() as Agent | undefined,
        },
        limits,
      );
      return new ResponseContext(answer.status, answer.headers, { text: async () => answer.body.toString('utf8'), binary: async () => answer.body });
    },
  });
}

/**
 * Retries what failed on the wire (a refused or timed-out connection, not an answer from the server) with doubling
 * backoff: reads and server-side apply are idempotent, so sending one again is safe.
 */
async function retried<T>(fn: () => Promise<T>, remote: Remote): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const tooLarge = error instanceof RemoteLimitExceeded && error.limit === 'size';
      if (error instanceof ApiException || tooLarge || attempt >= remote.limits.retries) throw error;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}

async function readOrUndefined(api: KubernetesObjectApi, object: KubernetesObject, remote: Remote): Promise<KubeObject | undefined> {
  try {
    return await retried(
      () => api.read({ apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name, namespace: object.metadata.namespace } }),
      remote,
    );
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return undefined;
    throw kubeError(error, object, remote);
  }
}

async function call<T>(fn: () => Promise<T>, object: KubernetesObject, remote: Remote): Promise<T> {
  try {
    return await retried(fn, remote);
  } catch (error) {
    throw kubeError(error, object, remote);
  }
}

/** The AIO operator reports `status.provisioningStatus.status` (Succeeded | Failed | Provisioning…). */
export function provisioningState(object: KubeObject): { state: string | undefined; message: string | undefined } {
  const status = (object as { status?: { provisioningStatus?: { status?: string; error?: { message?: string } }; provisioningState?: string } }).status;
  return { state: status?.provisioningStatus?.status ?? status?.provisioningState, message: status?.provisioningStatus?.error?.message };
}

async function waitUntilProvisioned(api: KubernetesObjectApi, graph: KubeObject, options: KubernetesApplyOptions, remote: Remote): Promise<string> {
  const deadline = Date.now() + options.timeoutMs;
  const name = `dataflowgraph/${graph.metadata!.name}`;
  let last: string | undefined;
  for (;;) {
    const current = await call(
      () => api.read({ apiVersion: graph.apiVersion!, kind: graph.kind!, metadata: { name: graph.metadata!.name!, namespace: graph.metadata!.namespace! } }),
      graph as KubernetesObject,
      remote,
    );
    const { state, message } = provisioningState(current);
    if (state !== last) options.onProgress?.(`${name}: ${state ?? 'waiting for the AIO operator'}`);
    last = state;
    if (state === 'Succeeded') return state;
    if (state === 'Failed') {
      throw new AioError('AIO_DEPLOY_FAILED', `${name} failed to provision${message ? `: ${message}` : ''}`, {
        hint: 'check the graph artifact and registry endpoint; `kubectl describe` shows the operator’s events',
      });
    }
    if (Date.now() > deadline) {
      throw new AioError(
        'AIO_DEPLOY_TIMEOUT',
        `${name} did not report Succeeded within ${Math.round(options.timeoutMs / 1000)} s (last state: ${state ?? 'none'})`,
        {
          hint: 'the resources are applied; raise --timeout, or check the AIO operator in the cluster',
        },
      );
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 1000));
  }
}

function kubeError(error: unknown, object: { kind?: string; metadata?: { name?: string } }, remote: Remote): AioError {
  const what = `${object.kind ?? 'object'} ${object.metadata?.name ?? ''}`.trim();
  if (error instanceof ApiException) {
    const body = typeof error.body === 'string' ? safeJson(error.body) : (error.body as { message?: string } | undefined);
    const detail = body?.message ?? '';
    const hints: Record<number, string> = {
      401: 'the kubeconfig credentials were refused; sign in to the cluster again',
      403: `the user may not apply ${what}; it needs patch on ${object.kind?.toLowerCase()}s in this namespace`,
      404: 'the AIO custom resources are not installed in this cluster (is Azure IoT Operations deployed?)',
      409: 'another field manager owns these fields; aio forces its own, so retry',
      422: 'the cluster rejected the resource; the message says which field',
    };
    return new AioError('AIO_KUBE_REQUEST_FAILED', `Kubernetes refused ${what} (${error.code})${detail ? `: ${detail}` : ''}`, {
      hint: hints[error.code] ?? 'check the cluster and retry',
    });
  }
  const message = errorMessage(error);
  const tries = remote.limits.retries > 0 ? ` (${remote.limits.retries + 1} attempts)` : '';
  if (error instanceof RemoteLimitExceeded) {
    if (error.limit === 'size') {
      return new AioError('AIO_KUBE_TOO_LARGE', `the Kubernetes API server, reading ${what}: ${error.message}`, {
        hint: 'an answer this large is not a real one: check the kubeconfig server and any proxy in between',
      });
    }
    if (error.limit === 'connect') {
      return new AioError('AIO_KUBE_UNREACHABLE', `cannot reach the Kubernetes API server for ${what}: ${error.message}${tries}`, {
        hint: 'check the kubeconfig context and that the cluster is reachable, or raise remote.connectTimeout in aio.yaml',
      });
    }
    return new AioError('AIO_KUBE_TIMEOUT', `the Kubernetes API server stalled on ${what}: ${error.message}${tries}`, {
      hint: 'the API server stopped sending; check the cluster, or raise remote.idleTimeout in aio.yaml',
    });
  }
  if ((error as { name?: string } | undefined)?.name === 'AbortError') {
    return new AioError('AIO_KUBE_TIMEOUT', `${remote.server} did not answer for ${what} within ${formatDuration(remote.limits.requestTimeoutMs)}${tries}`, {
      hint: 'the API server accepted the connection but did not answer; check the cluster, or raise remote.requestTimeout in aio.yaml',
    });
  }
  return new AioError('AIO_KUBE_UNREACHABLE', `cannot reach the Kubernetes API server: ${message}`, {
    hint: 'check the kubeconfig context and that the cluster is reachable',
  });
}

function safeJson(text: string): { message?: string } | undefined {
  try {
    return JSON.parse(text) as { message?: string };
  } catch {
    return { message: text.slice(0, 200) };
  }
}
