import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { selfSignedCert } from './tls.js';

export type ArmFault = 'none' | 'unauthorized' | 'forbidden' | 'conflict' | 'failed' | 'never-finishes';

export interface ArmServerOptions {
  /** The bearer token requests must carry (what the fake `az` hands out). */
  token: string;
  fault?: ArmFault;
}

export interface ArmServer {
  endpoint: string;
  /** PEM of the self-signed certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** Resources by lower-cased id: their properties as last deployed. */
  resources: Map<string, { type: string; properties: Record<string, unknown>; extendedLocation?: unknown; etag: number }>;
  deployments: Array<{ name: string; template: Record<string, any> }>;
  requests: Array<{ method: string; path: string }>;
  setFault(fault: ArmFault): void;
  stop(): Promise<void>;
}

/**
 * Azure Resource Manager for the calls aio makes, over HTTPS with a self-signed certificate (the SDK sends bearer
 * tokens only over TLS): deployments as long-running operations (201 + Azure-AsyncOperation, polled to a
 * terminal status, then the final GET), what-if (202 + Location), generic GET by resource id, ARM error bodies.
 * Deploying applies the template's resources to an in-memory store; unchanged content keeps its etag.
 */
export async function startArmServer(dir: string, options: ArmServerOptions): Promise<ArmServer> {
  const { key, cert, caFile } = await selfSignedCert(dir, 'arm');
  let fault: ArmFault = options.fault ?? 'none';
  const resources: ArmServer['resources'] = new Map();
  const deployments: ArmServer['deployments'] = [];
  const requests: ArmServer['requests'] = [];
  const operations = new Map<string, { polls: number; done: () => Record<string, unknown> }>();
  const finished = new Map<string, Record<string, unknown>>();
  let counter = 0;
  let base = '';

  const server: Server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: string): unknown {
    // The SDK joins `/{resourceId}` with ids that start with a slash; ARM accepts the double slash, so do we.
    const url = new URL((req.url ?? '/').replace(/^\/+/, '/'), base);
    const path = url.pathname;
    requests.push({ method: req.method ?? 'GET', path });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
    const error = (status: number, code: string, message: string) => json(status, { error: { code, message } });
    if (req.headers.authorization !== `Bearer ${options.token}` || fault === 'unauthorized') {
      return json(
        401,
        { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } },
        { 'www-authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"' },
      );
    }
    const op = /\/operationStatuses\/([^/]+)$/i.exec(path) ?? /\/operationResults\/([^/]+)$/i.exec(path);
    if (op !== null) {
      const operation = operations.get(op[1]!);
      if (operation === undefined) return error(404, 'NotFound', 'no such operation');
      operation.polls++;
      if (fault === 'never-finishes' || operation.polls < 2) {
        return path.includes('operationResults')
          ? json(202, {}, { location: `${base}${path}`, 'retry-after': '0' })
          : json(200, { status: 'Running' }, { 'retry-after': '0' });
      }
      const result = operation.done();
      return path.includes('operationResults')
        ? json(200, result)
        : json(200, { status: (result['status'] as string | undefined) ?? 'Succeeded', ...(result['error'] ? { error: result['error'] } : {}) });
    }
    const deployment = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/Microsoft\.Resources\/deployments\/([^/]+)(\/whatIf)?$/i.exec(path);
    if (deployment !== null) {
      const [, subscription, group, name, whatIf] = deployment as unknown as [string, string, string, string, string | undefined];
      const id = `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Resources/deployments/${name}`;
      if (req.method === 'GET') {
        const done = finished.get(id.toLowerCase());
        return done === undefined ? error(404, 'DeploymentNotFound', `Deployment '${name}' could not be found.`) : json(200, done);
      }
      if (fault === 'forbidden')
        return error(
          403,
          'AuthorizationFailed',
          `The client 'ci' does not have authorization to perform action 'Microsoft.Resources/deployments/write' over scope '${id}'.`,
        );
      if (fault === 'conflict') return error(409, 'DeploymentActive', `Unable to edit or replace deployment '${name}': previous deployment is still active.`);
      const template = (JSON.parse(body) as { properties: { template: Record<string, any> } }).properties.template;
      const opId = `op${++counter}`;
      const scope = `/subscriptions/${subscription}/resourceGroups/${group}`;
      if (whatIf !== undefined && req.method === 'POST') {
        const whatIfError = {
          code: 'InvalidTemplateDeployment',
          message: 'The template deployment failed preflight validation: the custom location cl-edge-prod was not found.',
        };
        operations.set(opId, {
          polls: 0,
          done: () => (fault === 'failed' ? { status: 'Failed', error: whatIfError } : { status: 'Succeeded', changes: whatIfChanges(scope, template) }),
        });
        return json(202, {}, { location: `${base}${scope}/providers/Microsoft.Resources/operationResults/${opId}?api-version=2024-03-01`, 'retry-after': '0' });
      }
      deployments.push({ name, template });
      finished.delete(id.toLowerCase());
      operations.set(opId, {
        polls: 0,
        done: () => {
          if (fault === 'failed') {
            const failedBody = {
              id,
              name,
              properties: {
                provisioningState: 'Failed',
                error: {
                  code: 'DeploymentFailed',
                  message: 'At least one resource deployment operation failed: the custom location cl-edge-prod was not found.',
                },
              },
            };
            finished.set(id.toLowerCase(), failedBody);
            return { status: 'Failed', error: failedBody.properties.error };
          }
          apply(scope, template);
          finished.set(id.toLowerCase(), { id, name, properties: { provisioningState: 'Succeeded', outputs: outputs(scope, template) } });
          return { status: 'Succeeded' };
        },
      });
      return json(
        201,
        { id, name, properties: { provisioningState: 'Accepted' } },
        { 'azure-asyncoperation': `${base}${id}/operationStatuses/${opId}?api-version=2024-03-01`, 'retry-after': '0' },
      );
    }
    if (req.method === 'GET') {
      const found = resources.get(path.toLowerCase());
      if (found === undefined) return error(404, 'ResourceNotFound', `The Resource '${path}' was not found.`);
      return json(200, {
        id: path,
        type: found.type,
        etag: String(found.etag),
        extendedLocation: found.extendedLocation,
        properties: { ...found.properties, provisioningState: 'Succeeded' },
      });
    }
    return error(404, 'NotFound', `${req.method} ${path} is not served by this test server`);
  }

  /** `Microsoft.IoTOperations/instances/registryEndpoints` + `inst/ep` → the resource id under `scope`. */
  function resourceId(scope: string, resource: Record<string, any>): string {
    const [namespace, ...types] = String(resource['type']).split('/');
    const names = String(resource['name']).split('/');
    return `${scope}/providers/${namespace}/${types.map((t, i) => `${t}/${names[i]}`).join('/')}`;
  }

  function apply(scope: string, template: Record<string, any>): void {
    for (const resource of template['resources'] ?? []) {
      const id = resourceId(scope, resource).toLowerCase();
      const existing = resources.get(id);
      if (existing !== undefined && isDeepStrictEqual(existing.properties, resource.properties)) continue;
      resources.set(id, { type: resource.type, properties: resource.properties, extendedLocation: resource.extendedLocation, etag: (existing?.etag ?? 0) + 1 });
    }
  }

  function whatIfChanges(scope: string, template: Record<string, any>): Array<{ resourceId: string; changeType: string }> {
    return (template['resources'] ?? []).map((resource: Record<string, any>) => {
      const id = resourceId(scope, resource);
      const existing = resources.get(id.toLowerCase());
      return {
        resourceId: id,
        changeType: existing === undefined ? 'Create' : isDeepStrictEqual(existing.properties, resource['properties']) ? 'NoChange' : 'Modify',
      };
    });
  }

  function outputs(scope: string, template: Record<string, any>): Record<string, { type: string; value: string }> {
    const out: Record<string, { type: string; value: string }> = {};
    for (const [key, output] of Object.entries((template['outputs'] ?? {}) as Record<string, { type: string; value: string }>))
      out[key] = { type: output.type, value: `${scope}/${key}` };
    return out;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  base = `https://127.0.0.1:${address.port}`;
  return {
    endpoint: base,
    caFile,
    resources,
    deployments,
    requests,
    setFault: (next) => (fault = next),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
