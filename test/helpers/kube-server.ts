import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCert } from './tls.js';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';

const GROUP = 'connectivity.iotoperations.azure.com';
const RESOURCES = [
  {
    name: 'dataflowgraphs',
    singularName: 'dataflowgraph',
    namespaced: true,
    kind: 'DataflowGraph',
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  {
    name: 'registryendpoints',
    singularName: 'registryendpoint',
    namespaced: true,
    kind: 'RegistryEndpoint',
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
];

export interface KubeServerOptions {
  /** What the simulated AIO operator writes to a graph's status after an apply: Succeeded (default), Failed, or nothing. */
  outcome?: 'Succeeded' | 'Failed' | 'never';
  /** Answer every write with this status (401, 403, …). */
  rejectWrites?: number;
}

export interface KubeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
}

export interface KubeServer {
  url: string;
  requests: KubeRequest[];
  objects: Map<string, Record<string, any>>;
  /** A kubeconfig file pointing at this server, with contexts `local` and `other`. */
  kubeconfig(dir: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A Kubernetes API server for the two AIO custom resources, speaking the real wire protocol: discovery
 * (/api, /apis, the group version's resource list), namespaced GET, and server-side apply (PATCH with
 * application/apply-patch+yaml, fieldManager required, force, dryRun=All) with resourceVersion and generation
 * that move only when content changes, managedFields, Status error bodies, and an operator that sets the status.
 */
export async function startKubeServer(options: KubeServerOptions = {}): Promise<KubeServer> {
  const requests: KubeRequest[] = [];
  const objects = new Map<string, Record<string, any>>();
  let version = 100;
  const tls = await selfSignedCert(await mkdtemp(join(tmpdir(), 'aio-kube-')), 'kube');
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: string): unknown {
    const url = new URL(req.url ?? '/', 'http://local');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'] });
    const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const status = (code: number, reason: string, message: string) =>
      json(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
    const path = url.pathname;
    if (path === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/api/v1')
      return json(200, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [{ name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'] }],
      });
    if (path === '/apis') {
      return json(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [{ name: GROUP, versions: [{ groupVersion: `${GROUP}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${GROUP}/v1`, version: 'v1' } }],
      });
    }
    if (path === `/apis/${GROUP}/v1`) return json(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${GROUP}/v1`, resources: RESOURCES });
    if (path === '/openapi/v3') return json(200, { paths: { [`apis/${GROUP}/v1`]: { serverRelativeURL: `/openapi/v3/apis/${GROUP}/v1?hash=aio` } } });
    if (path === `/openapi/v3/apis/${GROUP}/v1`) return json(200, openapiV3());
    if (path === '/version') return json(200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
    const match = new RegExp(`^/apis/${GROUP.replace(/\./g, '\\.')}/v1/namespaces/([^/]+)/([^/]+)/([^/]+)$`).exec(path);
    if (match === null) return status(404, 'NotFound', `the server could not find the requested resource (${req.method} ${path})`);
    const [, namespace, plural, name] = match as unknown as [string, string, string, string];
    const resource = RESOURCES.find((r) => r.name === plural);
    if (resource === undefined) return status(404, 'NotFound', `the server could not find the requested resource`);
    const key = `${plural}/${namespace}/${name}`;
    if (req.method === 'GET') {
      const found = objects.get(key);
      return found === undefined ? status(404, 'NotFound', `${plural}.${GROUP} "${name}" not found`) : json(200, found);
    }
    if (req.method !== 'PATCH') return status(405, 'MethodNotAllowed', `${req.method} is not supported here`);
    if (options.rejectWrites !== undefined)
      return status(
        options.rejectWrites,
        options.rejectWrites === 403 ? 'Forbidden' : 'Unauthorized',
        `${plural}.${GROUP} "${name}" is forbidden: User "ci" cannot patch resource "${plural}"`,
      );
    if (req.headers['content-type'] !== 'application/apply-patch+yaml')
      return status(415, 'UnsupportedMediaType', `only server-side apply is served here, not ${req.headers['content-type']}`);
    const manager = url.searchParams.get('fieldManager');
    if (!manager) return status(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    let applied: Record<string, any>;
    try {
      applied = parse(body) as Record<string, any>;
    } catch (error) {
      return status(400, 'BadRequest', `error decoding YAML: ${String(error)}`);
    }
    if (applied?.kind !== resource.kind || applied?.metadata?.name !== name) return status(400, 'BadRequest', 'the body does not match the URL');
    if (typeof applied.spec !== 'object') return status(422, 'Invalid', `${resource.kind}.${GROUP} "${name}" is invalid: spec: Required value`);
    const existing = objects.get(key);
    const labels = { ...(existing?.metadata?.labels ?? {}), ...(applied.metadata.labels ?? {}) };
    const changed = existing === undefined || !isDeepStrictEqual(existing.spec, applied.spec) || !isDeepStrictEqual(existing.metadata.labels ?? {}, labels);
    const next: Record<string, any> = {
      apiVersion: `${GROUP}/v1`,
      kind: resource.kind,
      metadata: {
        name,
        namespace,
        uid: existing?.metadata?.uid ?? `uid-${name}`,
        creationTimestamp: existing?.metadata?.creationTimestamp ?? new Date().toISOString(),
        generation: (existing?.metadata?.generation ?? 0) + (existing === undefined || !isDeepStrictEqual(existing.spec, applied.spec) ? 1 : 0),
        resourceVersion: changed ? String(++version) : existing!.metadata.resourceVersion,
        labels,
        managedFields: [{ manager, operation: 'Apply', apiVersion: `${GROUP}/v1`, fieldsType: 'FieldsV1' }],
      },
      spec: applied.spec,
      ...(existing?.status && !changed ? { status: existing.status } : {}),
    };
    if (url.searchParams.get('dryRun') === 'All') return json(200, next);
    objects.set(key, next);
    if (changed && resource.kind === 'DataflowGraph' && options.outcome !== 'never') {
      const outcome = options.outcome ?? 'Succeeded';
      setTimeout(() => {
        const current = objects.get(key);
        if (current === undefined) return;
        current.status = {
          provisioningStatus: {
            status: outcome,
            ...(outcome === 'Failed' ? { error: { message: 'artifact thermostat-graph:1.0.0 not found in registry' } } : {}),
          },
        };
        current.metadata.resourceVersion = String(++version);
      }, 150);
    }
    return json(changed && existing === undefined ? 201 : 200, next);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  const url = `https://127.0.0.1:${address.port}`;
  return {
    url,
    requests,
    objects,
    async kubeconfig(dir: string) {
      const file = join(dir, 'kubeconfig');
      await writeFile(
        file,
        `apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n    server: ${url}\n    certificate-authority: ${tls.caFile}\nusers:\n- name: ci\n  user:\n    token: kube-token-123\ncontexts:\n- name: local\n  context: { cluster: local, user: ci, namespace: azure-iot-operations }\n- name: other\n  context: { cluster: local, user: ci }\ncurrent-context: other\n`,
      );
      return file;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Enough of the group's OpenAPI v3 document for kubectl to see the kinds and that PATCH takes fieldValidation. */
function openapiV3(): unknown {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const r of RESOURCES) {
    const gvk = { group: GROUP, version: 'v1', kind: r.kind };
    const parameters = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
      name,
      in: 'query',
      schema: { type: name === 'force' ? 'boolean' : 'string' },
    }));
    paths[`/apis/${GROUP}/v1/namespaces/{namespace}/${r.name}/{name}`] = {
      get: { 'x-kubernetes-group-version-kind': gvk, responses: { '200': {} } },
      patch: { 'x-kubernetes-group-version-kind': gvk, parameters, responses: { '200': {} } },
    };
    schemas[`com.azure.iotoperations.connectivity.v1.${r.kind}`] = {
      type: 'object',
      'x-kubernetes-group-version-kind': [gvk],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas } };
}
