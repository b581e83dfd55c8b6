import { isScalar, type Node, type YAMLMap } from 'yaml';
import { finding, type Finding } from '../diagnostics.js';
import { nodeAtPath, parseYaml, type ParsedYaml, type SourceDocument } from '../yaml/parse-document.js';
import { asMap, valueOf } from '../yaml/node-readers.js';
import { locateEnvelope, type EnvelopeLocation } from './envelope.js';
import { ManifestReader } from './manifest-reader.js';
import {
  NODE_TYPES,
  type ConfigurationValue,
  type ConnectionSchema,
  type DestinationNode,
  type FileStore,
  type GraphNode,
  type HeaderActionEntry,
  type Located,
  type Manifest,
  type PipelineConnection,
  type PipelineNode,
  type SourceNode,
} from './model.js';
import { valueRuns } from './value-position.js';

export interface ParsedManifest {
  /** Undefined when the file is not YAML/JSON or not a DataflowGraph in any envelope. */
  manifest: Manifest | undefined;
  findings: Finding[];
}

/** Fields of the body in either envelope (§1.3); `profileRef` is Kubernetes' and `debugging` is in TSP-EX (§1.2). */
const BODY_KEYS = ['mode', 'requestDiskPersistence', 'nodes', 'nodeConnections', 'fileStores', 'profileRef', 'debugging'] as const;
/** Read-only fields a `kubectl get` or an ARM GET carries; accepted and ignored. */
const READ_ONLY_KEYS = ['provisioningState', 'healthState', 'status'] as const;
const SETTINGS_KEY = { Source: 'sourceSettings', Graph: 'graphSettings', Destination: 'destinationSettings' } as const;

/**
 * Parses a DataflowGraph manifest (YAML or JSON; Kubernetes CR, ARM template, ARM resource or bare body) into the
 * model, with every shape problem as a finding. Never throws on user input.
 */
export function parseManifestText(file: string, text: string): ParsedManifest {
  return manifestFromYaml(file, parseYaml(text));
}

/** The same from text already parsed (`graph validate` parses once to tell a manifest from a graph definition). */
export function manifestFromYaml(file: string, parsed: ParsedYaml): ParsedManifest {
  if (!parsed.ok) return { manifest: undefined, findings: parsed.findings };
  const location = locateEnvelope(parsed.value);
  if (location === undefined) {
    const findings = [
      ...parsed.findings,
      finding(
        'error',
        'AIO_PIPELINE_NOT_A_MANIFEST',
        { line: 1, column: 1 },
        'not a DataflowGraph manifest: no `kind: DataflowGraph`, no ARM dataflowGraphs resource and no `nodes`/`nodeConnections`',
        'see `aio graph validate --help` for the shapes a manifest may take',
      ),
    ];
    return { manifest: undefined, findings };
  }
  const reader = new ManifestReader(parsed.source);
  reader.findings.push(...parsed.findings);
  const manifest = buildManifest(file, parsed.source, location, reader);
  return { manifest, findings: reader.findings };
}

/** The model from a parsed document whose envelope is known. */
export function buildManifest(file: string, source: SourceDocument, location: EnvelopeLocation, reader: ManifestReader): Manifest {
  const root = asMap(source, source.doc.contents);
  const resource = location.resourcePath === undefined ? null : asMap(source, nodeAtPath(source, location.resourcePath).node);
  const bodyNode = location.bodyPath.length === 0 ? root : nodeAtPath(source, location.bodyPath).node;
  const bodyKey = location.envelope === 'kubernetes' ? 'spec' : 'properties';
  const body = reader.map(bodyNode, bodyKey, true, location.envelope === 'properties' ? undefined : (resource ?? root ?? undefined));
  if (location.graphsInTemplate > 1 && resource !== null) {
    reader.findings.push(
      finding(
        'warning',
        'AIO_PIPELINE_SEVERAL_GRAPHS',
        reader.at(resource),
        `the template holds ${location.graphsInTemplate} DataflowGraph resources; only this first one is read`,
        'keep one DataflowGraph per file to validate or run each',
      ),
    );
  }
  const bodyPath = location.envelope === 'kubernetes' ? 'spec' : location.envelope === 'properties' ? '(body)' : 'properties';
  reader.knownKeys(body, location.envelope === 'properties' || location.envelope === 'kubernetes' ? BODY_KEYS : [...BODY_KEYS, ...READ_ONLY_KEYS], bodyPath);
  const at = (key: string): Located<string> | undefined => reader.string(body, key, key, false);
  const fileStoresKey = body === null ? undefined : body.items.find((p) => isScalar(p.key) && p.key.value === 'fileStores');
  return {
    file,
    envelope: location.envelope,
    name: readName(reader, location, root, resource),
    apiVersion: resource === null ? undefined : reader.string(resource, 'apiVersion', 'apiVersion', false),
    profileRef: at('profileRef'),
    mode: at('mode'),
    requestDiskPersistence: at('requestDiskPersistence'),
    pos: reader.at(body ?? root),
    nodes: readNodes(reader, body),
    connections: readConnections(reader, body),
    fileStores: fileStoresKey === undefined ? undefined : { entries: readFileStores(reader, body), pos: reader.at(fileStoresKey.key as Node) },
  };
}

function readName(reader: ManifestReader, location: EnvelopeLocation, root: YAMLMap | null, resource: YAMLMap | null): Located<string> | undefined {
  if (location.envelope === 'kubernetes') return reader.string(asMap(reader.source, valueOf(reader.source, root, 'metadata')), 'name', 'metadata.name', false);
  if (resource === null) return undefined;
  const name = reader.string(resource, 'name', 'name', false);
  // A nested resource in a template is named `instance/profile/graph`; the graph's own name is the last segment.
  if (name === undefined || name.value.startsWith('[')) return name; // an ARM expression, resolved at deployment
  return { value: name.value.slice(name.value.lastIndexOf('/') + 1), pos: name.pos };
}

function readNodes(reader: ManifestReader, body: YAMLMap | null): PipelineNode[] {
  const nodes: PipelineNode[] = [];
  const seq = reader.seq(valueOf(reader.source, body, 'nodes'), 'nodes', body !== null, body ?? undefined);
  for (const { node, index } of reader.items(seq)) {
    const path = `nodes[${index}]`;
    const map = reader.map(node, path, true);
    if (map === null) continue;
    reader.knownKeys(map, ['name', 'nodeType', 'sourceSettings', 'graphSettings', 'destinationSettings'], path);
    const name = reader.string(map, 'name', `${path}.name`, true);
    const type = reader.string(map, 'nodeType', `${path}.nodeType`, true);
    if (name === undefined || type === undefined) continue;
    const nodeType = NODE_TYPES.find((t) => t.toLowerCase() === type.value.toLowerCase());
    if (nodeType === undefined) {
      reader.findings.push(
        finding(
          'error',
          'AIO_PIPELINE_NODE_TYPE',
          type.pos,
          `${path}.nodeType "${type.value}" is not Source, Graph or Destination`,
          `use one of ${NODE_TYPES.join(', ')}`,
        ),
      );
      continue;
    }
    for (const [otherType, key] of Object.entries(SETTINGS_KEY)) {
      const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (otherType !== nodeType && pair !== undefined) {
        reader.findings.push(
          finding(
            'warning',
            'AIO_PIPELINE_UNKNOWN_FIELD',
            reader.at(pair.key as Node),
            `${path} is a ${nodeType} node; its ${key} is ignored`,
            `a ${nodeType} node takes ${SETTINGS_KEY[nodeType]}`,
          ),
        );
      }
    }
    const settingsPath = `${path}.${SETTINGS_KEY[nodeType]}`;
    const settings = reader.map(valueOf(reader.source, map, SETTINGS_KEY[nodeType]), settingsPath, true, map);
    const base = { name: name.value, pos: reader.at(map), namePos: name.pos, index };
    if (nodeType === 'Source') nodes.push(readSource(reader, base, settings, settingsPath));
    else if (nodeType === 'Graph') nodes.push(readGraph(reader, base, settings, settingsPath));
    else nodes.push(readDestination(reader, base, settings, settingsPath));
  }
  return nodes;
}

type NodeBase = Pick<SourceNode, 'name' | 'pos' | 'namePos' | 'index'>;

function readSource(reader: ManifestReader, base: NodeBase, settings: YAMLMap | null, path: string): SourceNode {
  reader.knownKeys(settings, ['endpointRef', 'dataSources', 'assetRef'], path);
  const sources = reader.seq(valueOf(reader.source, settings, 'dataSources'), `${path}.dataSources`, settings !== null, settings ?? undefined);
  const dataSources: Array<Located<string>> = [];
  for (const { node, index } of reader.items(sources)) {
    const value = reader.stringValue(node, `${path}.dataSources[${index}]`);
    if (value !== undefined) dataSources.push(value);
  }
  if (sources !== null && sources.items.length === 0) {
    reader.findings.push(finding('error', 'AIO_PIPELINE_REQUIRED', reader.at(sources), `${path}.dataSources is empty`, 'name at least one topic filter'));
  }
  return {
    ...base,
    nodeType: 'Source',
    endpointRef: reader.string(settings, 'endpointRef', `${path}.endpointRef`, true),
    dataSources,
    assetRef: reader.string(settings, 'assetRef', `${path}.assetRef`, false),
  };
}

function readGraph(reader: ManifestReader, base: NodeBase, settings: YAMLMap | null, path: string): GraphNode {
  reader.knownKeys(settings, ['registryEndpointRef', 'artifact', 'configuration'], path);
  const configuration: ConfigurationValue[] = [];
  const seq = reader.seq(valueOf(reader.source, settings, 'configuration'), `${path}.configuration`, false);
  for (const { node, index } of reader.items(seq)) {
    const entryPath = `${path}.configuration[${index}]`;
    const map = reader.map(node, entryPath, true);
    if (map === null) continue;
    reader.knownKeys(map, ['key', 'value'], entryPath);
    const key = reader.string(map, 'key', `${entryPath}.key`, true);
    const value = reader.string(map, 'value', `${entryPath}.value`, true);
    if (key === undefined || value === undefined) continue;
    const valueNode = valueOf(reader.source, map, 'value');
    configuration.push({
      key: key.value,
      keyPos: key.pos,
      value: value.value,
      valuePos: value.pos,
      valueRuns: valueRuns(reader.source.text, reader.source.lines, valueNode),
    });
  }
  return {
    ...base,
    nodeType: 'Graph',
    registryEndpointRef: reader.string(settings, 'registryEndpointRef', `${path}.registryEndpointRef`, true),
    artifact: reader.string(settings, 'artifact', `${path}.artifact`, true),
    configuration,
  };
}

function readDestination(reader: ManifestReader, base: NodeBase, settings: YAMLMap | null, path: string): DestinationNode {
  reader.knownKeys(settings, ['endpointRef', 'dataDestination', 'headers', 'outputSchemaSettings'], path);
  const headersKey = settings?.items.find((p) => isScalar(p.key) && p.key.value === 'headers');
  const headersSeq = reader.seq(valueOf(reader.source, settings, 'headers'), `${path}.headers`, false);
  const actions: HeaderActionEntry[] = [];
  for (const { node, index } of reader.items(headersSeq)) {
    const entryPath = `${path}.headers[${index}]`;
    const map = reader.map(node, entryPath, true);
    if (map === null) continue;
    reader.knownKeys(map, ['actionType', 'key', 'value'], entryPath);
    const actionType = reader.string(map, 'actionType', `${entryPath}.actionType`, true);
    actions.push({
      actionType,
      key: reader.string(map, 'key', `${entryPath}.key`, true),
      // `Remove` takes no value; the add actions need one.
      value: reader.string(map, 'value', `${entryPath}.value`, actionType !== undefined && actionType.value !== 'Remove'),
      pos: reader.at(map),
    });
  }
  const schemaPath = `${path}.outputSchemaSettings`;
  const schemaMap = reader.map(valueOf(reader.source, settings, 'outputSchemaSettings'), schemaPath, false);
  reader.knownKeys(schemaMap, ['serializationFormat', 'schemaRef'], schemaPath);
  return {
    ...base,
    nodeType: 'Destination',
    endpointRef: reader.string(settings, 'endpointRef', `${path}.endpointRef`, true),
    dataDestination: reader.string(settings, 'dataDestination', `${path}.dataDestination`, true),
    headers: headersKey === undefined ? undefined : { actions, pos: reader.at(headersKey.key as Node) },
    outputSchemaSettings:
      schemaMap === null
        ? undefined
        : {
            serializationFormat: reader.string(schemaMap, 'serializationFormat', `${schemaPath}.serializationFormat`, true)?.value,
            schemaRef: reader.string(schemaMap, 'schemaRef', `${schemaPath}.schemaRef`, false),
            pos: reader.keyAt(settings!, 'outputSchemaSettings'),
          },
  };
}

function readConnections(reader: ManifestReader, body: YAMLMap | null): PipelineConnection[] {
  const connections: PipelineConnection[] = [];
  const seq = reader.seq(valueOf(reader.source, body, 'nodeConnections'), 'nodeConnections', body !== null, body ?? undefined);
  for (const { node, index } of reader.items(seq)) {
    const path = `nodeConnections[${index}]`;
    const map = reader.map(node, path, true);
    if (map === null) continue;
    reader.knownKeys(map, ['from', 'to'], path);
    const from = reader.map(valueOf(reader.source, map, 'from'), `${path}.from`, true, map);
    const to = reader.map(valueOf(reader.source, map, 'to'), `${path}.to`, true, map);
    reader.knownKeys(from, ['name', 'schema'], `${path}.from`);
    reader.knownKeys(to, ['name'], `${path}.to`, (key) => (key === 'schema' ? 'the schema of an edge is written on its `from` side' : undefined));
    const fromName = reader.string(from, 'name', `${path}.from.name`, true);
    const toName = reader.string(to, 'name', `${path}.to.name`, true);
    if (fromName === undefined || toName === undefined) continue;
    // Node names hold no dots (§1.4), so the first dot starts the output port: `check.output.true` → check, output.true.
    const dot = fromName.value.indexOf('.');
    connections.push({
      index,
      pos: reader.at(map),
      from: {
        node: dot === -1 ? fromName.value : fromName.value.slice(0, dot),
        port: dot === -1 ? undefined : fromName.value.slice(dot + 1),
        pos: fromName.pos,
        schema: readSchema(reader, from, `${path}.from.schema`),
      },
      to: { name: toName.value, pos: toName.pos },
    });
  }
  return connections;
}

function readSchema(reader: ManifestReader, from: YAMLMap | null, path: string): ConnectionSchema | undefined {
  const map = reader.map(valueOf(reader.source, from, 'schema'), path, false);
  if (map === null) return undefined;
  reader.knownKeys(map, ['serializationFormat', 'schemaRef'], path);
  return {
    serializationFormat: reader.string(map, 'serializationFormat', `${path}.serializationFormat`, false),
    schemaRef: reader.string(map, 'schemaRef', `${path}.schemaRef`, false),
    pos: reader.at(map),
  };
}

function readFileStores(reader: ManifestReader, body: YAMLMap | null): FileStore[] {
  const stores: FileStore[] = [];
  const seq = reader.seq(valueOf(reader.source, body, 'fileStores'), 'fileStores', false);
  for (const { node, index } of reader.items(seq)) {
    const path = `fileStores[${index}]`;
    const map = reader.map(node, path, true);
    if (map === null) continue;
    reader.knownKeys(map, ['id', 'persistentVolumeClaimRef', 'subPath', 'readOnly'], path);
    stores.push({
      id: reader.string(map, 'id', `${path}.id`, true),
      persistentVolumeClaimRef: reader.string(map, 'persistentVolumeClaimRef', `${path}.persistentVolumeClaimRef`, true),
      subPath: reader.string(map, 'subPath', `${path}.subPath`, false),
      readOnly: reader.boolean(map, 'readOnly', `${path}.readOnly`),
      pos: reader.at(map),
    });
  }
  return stores;
}
