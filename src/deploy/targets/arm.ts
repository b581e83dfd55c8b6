import type { TokenCredential } from '@azure/core-auth';
import { isDeepStrictEqual } from 'node:util';
import { AioError, errorMessage } from '../../errors.js';
import { boundedRequest, RemoteLimitExceeded } from '../../util/bounded-request.js';
import { formatDuration, remoteLimits, type RemoteLimits } from '../../util/remote-limits.js';
import { armGraphProperties, type Deployable } from '../deployable.js';
import { formatNodeChanges, nodeChanges, type NodeChange } from '../node-changes.js';
import type { ArmTemplate } from '../render/arm.js';

/** Resource Manager's endpoint; AIO_ARM_ENDPOINT points elsewhere (sovereign clouds, a local test server). */
export function armEndpoint(): string {
  return process.env['AIO_ARM_ENDPOINT'] ?? 'https://management.azure.com';
}

export interface ArmDeployOptions {
  whatIf: boolean;
  wait: boolean;
  timeoutMs: number;
  onProgress?: (line: string) => void;
}

export interface ArmChange {
  resourceId: string;
  changeType: string;
}

export interface ArmDeployResult {
  deployment: string;
  resourceGroup: string;
  /** Succeeded, Accepted (with --no-wait), or WhatIf. */
  state: string;
  /** Per resource: created, changed, unchanged (deploy) or the what-if change type. */
  changes: ArmChange[];
  /** Per node of the DataflowGraph: the service's node list before against the one deployed. */
  nodes: NodeChange[];
  summary: string;
}

/**
 * Deploys a graph or pipeline as one ARM deployment at resource-group scope, through the real
 * `@azure/arm-resources` client and `@azure/identity`'s DefaultAzureCredential. The deployment has a stable name
 * per graph, so redeploying replaces it; resources are read before and after to say what actually changed, and the
 * DataflowGraph's nodes are compared with the template's before anything is sent.
 */
export async function deployToArm(target: Deployable, options: ArmDeployOptions, credential?: TokenCredential): Promise<ArmDeployResult> {
  const instance = target.environment.instance!;
  const client = await armClient(instance.subscription, remoteLimits({}, target.project.remote), credential);
  const { template, resourceIds } = target.arm();
  const deployment = `aio-${target.graphName}`;
  const read = (id: string) => readResource(client, id, target.armApiVersion);
  const before = await Promise.all(resourceIds.map(read));
  const nodes = nodeChanges(before.at(-1), armGraphProperties(template));
  const nodeLines = formatNodeChanges(target.graphName, nodes);

  if (options.whatIf) {
    options.onProgress?.(`what-if ${deployment} in ${instance.resourceGroup}…`);
    const poller = await armCall(
      () =>
        client.deployments.beginWhatIf(instance.resourceGroup, deployment, {
          properties: { mode: 'Incremental', template: template as unknown as Record<string, unknown> },
        }),
      'what-if',
    );
    const result = await untilDone(poller, 'what-if', instance.resourceGroup, deployment, options.timeoutMs);
    if (result.status === 'Failed') throw deploymentFailed(deployment, result.error?.message);
    const changes = (result.changes ?? []).map((c) => ({ resourceId: c.resourceId ?? '', changeType: c.changeType ?? 'Unsupported' }));
    const lines = changes.map((c) => `  ${c.changeType.padEnd(9)} ${c.resourceId}`).join('\n');
    return {
      deployment,
      resourceGroup: instance.resourceGroup,
      state: 'WhatIf',
      changes,
      nodes,
      summary: `what-if for ${target.graphName} in ${instance.resourceGroup}:\n${lines || '  (no changes)'}\n${nodeLines}`,
    };
  }

  options.onProgress?.(nodeLines);
  const poller = await startDeployment(client, instance.resourceGroup, deployment, template, options.onProgress);
  if (!options.wait) {
    return {
      deployment,
      resourceGroup: instance.resourceGroup,
      state: 'Accepted',
      changes: [],
      nodes,
      summary: `deployment ${deployment} accepted in ${instance.resourceGroup}; not waiting (--no-wait)`,
    };
  }
  await awaitDeployment(poller, instance.resourceGroup, deployment, options);
  const after = await Promise.all(resourceIds.map(read));
  const changes = resourceIds.map((resourceId, i) => ({
    resourceId,
    changeType: before[i] === undefined ? 'created' : isDeepStrictEqual(before[i], after[i]) ? 'unchanged' : 'changed',
  }));
  const changed = changes.filter((c) => c.changeType !== 'unchanged').length;
  return {
    deployment,
    resourceGroup: instance.resourceGroup,
    state: 'Succeeded',
    changes,
    nodes,
    summary: `${target.graphName} → ${instance.name} (${instance.resourceGroup}): ${changed} of ${changes.length} resource(s) changed; Succeeded\n${nodeLines}`,
  };
}

/** Deploys any template (aio provision uses this) and waits; returns the deployment's outputs. */
export async function deployTemplate(
  subscription: string,
  resourceGroup: string,
  deployment: string,
  template: ArmTemplate | Record<string, unknown>,
  options: { timeoutMs: number; onProgress?: (line: string) => void; limits: RemoteLimits },
  credential?: TokenCredential,
): Promise<Record<string, unknown>> {
  const client = await armClient(subscription, options.limits, credential);
  const poller = await startDeployment(client, resourceGroup, deployment, template, options.onProgress);
  const finished = await awaitDeployment(poller, resourceGroup, deployment, options);
  return (finished.properties?.outputs as Record<string, unknown> | undefined) ?? {};
}

type Client = import('@azure/arm-resources').ResourceManagementClient;
type DeploymentPoller = Awaited<ReturnType<Client['deployments']['beginCreateOrUpdate']>>;
type FinishedDeployment = Awaited<ReturnType<DeploymentPoller['pollUntilDone']>>;

/** PUTs an incremental deployment of `template`; the long-running operation is left to `awaitDeployment`. */
async function startDeployment(
  client: Client,
  resourceGroup: string,
  deployment: string,
  template: ArmTemplate | Record<string, unknown>,
  onProgress?: (line: string) => void,
): Promise<DeploymentPoller> {
  onProgress?.(`deploying ${deployment} to ${resourceGroup}…`);
  return armCall(
    () =>
      client.deployments.beginCreateOrUpdate(resourceGroup, deployment, { properties: { mode: 'Incremental', template: template as Record<string, unknown> } }),
    'deployment',
  );
}

/** Polls the deployment to its end, reporting each new state; Failed and timeouts become errors (exit 5). */
async function awaitDeployment(
  poller: DeploymentPoller,
  resourceGroup: string,
  deployment: string,
  options: { timeoutMs: number; onProgress?: (line: string) => void },
): Promise<FinishedDeployment> {
  let lastState: string | undefined;
  poller.onProgress((state) => {
    const current = (state.result?.properties?.provisioningState as string | undefined) ?? state.status;
    if (current !== lastState) options.onProgress?.(`  ${deployment}: ${current}`);
    lastState = current;
  });
  const finished = await untilDone(poller, 'deployment', resourceGroup, deployment, options.timeoutMs);
  if (finished.properties?.provisioningState !== 'Succeeded') throw deploymentFailed(deployment, finished.properties?.error?.message);
  return finished;
}

/** Polls a long-running operation to its end within `timeoutMs`; a timeout and a failed operation become errors. */
async function untilDone<T>(
  poller: { pollUntilDone(options: { abortSignal: AbortSignal }): Promise<T> },
  kind: 'what-if' | 'deployment',
  resourceGroup: string,
  deployment: string,
  timeoutMs: number,
): Promise<T> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    return await poller.pollUntilDone({ abortSignal: abort.signal });
  } catch (error) {
    if (abort.signal.aborted) {
      throw new AioError(
        'AIO_DEPLOY_TIMEOUT',
        `${kind === 'what-if' ? 'what-if of' : 'deployment'} ${deployment} did not finish within ${Math.round(timeoutMs / 1000)} s`,
        {
          hint: `it continues in Azure; check it with \`az deployment group show -g ${resourceGroup} -n ${deployment}\`, or raise --timeout`,
        },
      );
    }
    throw lroFailure(error, deployment) ?? armError(error, kind);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The Resource Manager client, bounded: the SDK retries what failed on the wire `limits.retries` times, and each
 * request must be answered and read within the request timeout (the SDK waits forever by default).
 */
async function armClient(subscription: string, limits: RemoteLimits, credential?: TokenCredential): Promise<Client> {
  // Loaded on demand: the Azure SDK costs start-up time that commands without Azure should not pay.
  const { ResourceManagementClient } = await import('@azure/arm-resources');
  const identity = credential ?? new (await import('@azure/identity')).DefaultAzureCredential();
  const endpoint = armEndpoint();
  return new ResourceManagementClient(identity, subscription, {
    endpoint,
    credentialScopes: [process.env['AIO_ARM_AUDIENCE'] ?? 'https://management.azure.com/.default'],
    retryOptions: { maxRetries: limits.retries, retryDelayInMs: 250 },
    httpClient: boundedHttpClient(limits),
    additionalPolicies: limits.requestTimeoutMs > 0 ? [{ position: 'perRetry', policy: requestTimeoutPolicy(limits.requestTimeoutMs) }] : [],
  });
}

type HttpClient = NonNullable<import('@azure/arm-resources').ResourceManagementClientOptionalParams['httpClient']>;

/**
 * The SDK's transport, bounded like every remote call: connect and idle timeouts, and an answer of at most 4 MiB
 * (ARM answers are JSON documents). The SDK's own client has neither and reads any body whole.
 */
function boundedHttpClient(limits: RemoteLimits): HttpClient {
  return {
    sendRequest: async (request) => {
      const body = request.body;
      if (body !== undefined && body !== null && typeof body !== 'string' && !Buffer.isBuffer(body)) {
        throw new Error(`an ARM request body of an unexpected kind (${typeof body})`);
      }
      const answer = await boundedRequest(
        {
          url: request.url,
          method: request.method,
          headers: request.headers.toJSON(),
          body: body ?? undefined,
          signal: request.abortSignal as AbortSignal | undefined,
          agent: request.agent as import('node:http').Agent | undefined,
        },
        limits,
      );
      return { request, status: answer.status, headers: new AnswerHeaders(answer.headers), bodyAsText: answer.body.toString('utf8') };
    },
  };
}

type ResponseHeaders = Awaited<ReturnType<HttpClient['sendRequest']>>['headers'];

/** An answer's headers as the SDK reads them (names are case-insensitive; node:http gives them lower-cased). */
class AnswerHeaders implements ResponseHeaders {
  private readonly map: Map<string, string>;
  constructor(headers: Record<string, string>) {
    this.map = new Map(Object.entries(headers));
  }
  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase());
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string | number | boolean): void {
    this.map.set(name.toLowerCase(), String(value));
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }
  toJSON(): Record<string, string> {
    return Object.fromEntries(this.map);
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

type PipelinePolicy = NonNullable<import('@azure/arm-resources').ResourceManagementClientOptionalParams['additionalPolicies']>[number]['policy'];

/**
 * Each attempt must be answered and read within `timeoutMs`. Past it the attempt fails as ETIMEDOUT, the code the
 * SDK's retry policy treats as a network failure worth retrying; the last one becomes AIO_ARM_TIMEOUT.
 */
function requestTimeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: 'aioRequestTimeout',
    sendRequest: async (request, next) => {
      const timer = AbortSignal.timeout(timeoutMs);
      const caller = request.abortSignal;
      request.abortSignal = caller === undefined ? timer : AbortSignal.any([caller as AbortSignal, timer]);
      try {
        return await next(request);
      } catch (error) {
        if (timer.aborted) throw new ArmRequestTimeout(new URL(request.url).host, request.method, timeoutMs);
        throw error;
      } finally {
        // The retry policy checks the request's signal before the next attempt: it must be the caller's again.
        request.abortSignal = caller;
      }
    },
  };
}

/** An ARM request that got no complete answer within the request timeout. */
class ArmRequestTimeout extends Error {
  /** The name and code the SDK's retry policy looks for to retry a network failure. */
  override readonly name = 'RestError';
  readonly code = 'ETIMEDOUT';
  constructor(
    readonly host: string,
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`${host} did not answer a ${method} within ${formatDuration(timeoutMs)}`);
  }
}

async function readResource(client: Client, id: string, apiVersion: string): Promise<Record<string, unknown> | undefined> {
  try {
    const resource = await client.resources.getById(id, apiVersion);
    const { provisioningState: _state, status: _status, healthState: _health, ...properties } = (resource.properties ?? {}) as Record<string, unknown>;
    return properties;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw armError(error, 'read');
  }
}

async function armCall<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw armError(error, what);
  }
}

/** core-lro reports a deployment that ended Failed as an error without a status code; it is a failed deployment. */
function lroFailure(error: unknown, deployment: string): AioError | undefined {
  const message = (error as { message?: string } | undefined)?.message ?? '';
  const prefix = 'The long-running operation has failed.';
  if (!message.startsWith(prefix)) return undefined;
  return deploymentFailed(deployment, message.slice(prefix.length).trim());
}

function deploymentFailed(deployment: string, message: string | undefined): AioError {
  return new AioError('AIO_DEPLOY_FAILED', `deployment ${deployment} failed${message ? `: ${message}` : ''}`, {
    hint: 'the message comes from Azure; fix what it names and deploy again (deploying is idempotent)',
  });
}

/** RestError → a message with the ARM error code and how to fix it; never a token. */
function armError(error: unknown, what: string): AioError {
  if (error instanceof AioError) return error;
  const rest = error as { statusCode?: number; code?: string; message?: string; name?: string };
  if (rest.name === 'CredentialUnavailableError' || rest.name === 'AuthenticationError' || rest.name === 'AggregateAuthenticationError') {
    return new AioError('AIO_AZURE_NOT_SIGNED_IN', `no Azure identity for Resource Manager: ${firstLine(rest.message)}`, {
      hint: 'run `az login`, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET, or use workload or managed identity',
    });
  }
  if (error instanceof RemoteLimitExceeded) {
    const [code, hint] =
      error.limit === 'size'
        ? ['AIO_ARM_TOO_LARGE', 'an ARM answer this large is not a real one: check AIO_ARM_ENDPOINT and any proxy in between']
        : error.limit === 'connect'
          ? ['AIO_ARM_UNREACHABLE', 'check the network and proxy settings, or raise remote.connectTimeout in aio.yaml']
          : ['AIO_ARM_TIMEOUT', 'retry later; if it persists, check the Azure status page, or raise remote.idleTimeout in aio.yaml'];
    return new AioError(code, `Azure Resource Manager, on the ${what}: ${error.message}`, { hint });
  }
  if (error instanceof ArmRequestTimeout) {
    return new AioError('AIO_ARM_TIMEOUT', `Azure Resource Manager stalled on the ${what}: ${error.message}`, {
      hint: 'retry later; if it persists, check the Azure status page, or raise remote.requestTimeout in aio.yaml',
    });
  }
  const status = rest.statusCode;
  const hints: Record<number, string> = {
    401: 'the Azure token was refused; sign in again (`az login`) or check AZURE_TENANT_ID',
    403: 'the identity lacks permission on the resource group; it needs Contributor (or IoT Operations rights) there',
    404: 'check subscription, resourceGroup and instance in aio.yaml',
    409: 'another deployment or operation is running on these resources; wait for it and deploy again',
  };
  if (status !== undefined) {
    return new AioError(
      'AIO_ARM_REQUEST_FAILED',
      `Azure Resource Manager refused the ${what} (${status}${rest.code ? ` ${rest.code}` : ''}): ${firstLine(rest.message)}`,
      { hint: hints[status] ?? 'retry later; if it persists, check the Azure status page' },
    );
  }
  return new AioError('AIO_ARM_UNREACHABLE', `cannot reach Azure Resource Manager (${armEndpoint()}): ${firstLine(errorMessage(error))}`, {
    hint: 'check the network and proxy settings',
  });
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.slice(0, 300);
}
