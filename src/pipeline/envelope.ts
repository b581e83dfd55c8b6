import { ARM_GRAPH_TYPE, type ManifestEnvelope } from './model.js';

/**
 * Which envelope a parsed document is (spec §1.1), and where its DataflowGraph body sits. Pure over the plain
 * value, so discovery and `graph validate` can tell a manifest from a graph definition before building anything.
 */
export interface EnvelopeLocation {
  envelope: ManifestEnvelope;
  /** Keys/indexes from the document root to the body (`spec`, `properties`, or the root itself). */
  bodyPath: Array<string | number>;
  /** To the ARM resource (`[]` for a bare resource, `['resources', i]` in a template); undefined otherwise. */
  resourcePath: Array<string | number> | undefined;
  /** How many DataflowGraph resources an ARM template holds (the first is read). */
  graphsInTemplate: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** ARM resource types compare case-insensitively, as Resource Manager does. */
function isGraphResource(value: unknown): boolean {
  return isObject(value) && typeof value.type === 'string' && value.type.toLowerCase() === ARM_GRAPH_TYPE.toLowerCase();
}

export function locateEnvelope(value: unknown): EnvelopeLocation | undefined {
  if (!isObject(value)) return undefined;
  if (value.kind === 'DataflowGraph') return { envelope: 'kubernetes', bodyPath: ['spec'], resourcePath: undefined, graphsInTemplate: 0 };
  if (isGraphResource(value)) return { envelope: 'arm-resource', bodyPath: ['properties'], resourcePath: [], graphsInTemplate: 0 };
  const resources = value.resources;
  // Templates list resources in an array; languageVersion 2.0 templates keep them in an object by symbolic name.
  const entries: Array<[string | number, unknown]> = Array.isArray(resources)
    ? resources.map((r, i) => [i, r])
    : isObject(resources)
      ? Object.entries(resources)
      : [];
  const graphs = entries.filter(([, r]) => isGraphResource(r));
  if (graphs.length > 0) {
    const resourcePath = ['resources', graphs[0]![0]];
    return { envelope: 'arm-template', bodyPath: [...resourcePath, 'properties'], resourcePath, graphsInTemplate: graphs.length };
  }
  // The bare body: a graph definition has `operations`, a DataflowGraph body `nodes` and `nodeConnections`.
  if (Array.isArray(value.nodes) || Array.isArray(value.nodeConnections)) {
    if (value.operations === undefined) return { envelope: 'properties', bodyPath: [], resourcePath: undefined, graphsInTemplate: 0 };
  }
  return undefined;
}

/** True when the document is a DataflowGraph manifest in any envelope, rather than a WASM graph definition. */
export function isDataflowGraphDocument(value: unknown): boolean {
  return locateEnvelope(value) !== undefined;
}
