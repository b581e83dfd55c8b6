import { finding, type Finding, type Position } from '../../diagnostics.js';
import type { PipelineRule } from './rule.js';

/** The Microsoft.IoTOperations API versions, oldest first (TSP-MAIN, spec §1.2). */
const API_VERSIONS = ['2024-11-01', '2025-04-01', '2025-07-01-preview', '2025-10-01', '2026-03-01', '2026-07-01', '2026-10-01', '2026-11-01-preview'] as const;
type ApiVersion = (typeof API_VERSIONS)[number];

/** DataflowGraph arrived in 2025-07-01-preview. */
const FIRST_WITH_GRAPHS: ApiVersion = '2025-07-01-preview';

/** Versions in which each optional field exists (§1.2); fields not listed exist in every version with graphs. */
const FIELD_VERSIONS: Record<string, readonly ApiVersion[]> = {
  'destinationSettings.headers': ['2025-10-01', '2026-03-01', '2026-07-01', '2026-10-01', '2026-11-01-preview'],
  // Removed in 2025-10-01, re-added in 2026-10-01.
  'destinationSettings.outputSchemaSettings': ['2025-07-01-preview', '2026-10-01', '2026-11-01-preview'],
  fileStores: ['2026-11-01-preview'],
};

/**
 * Fields by ARM API version: Resource Manager rejects a field the declared `apiVersion` does not have. The
 * Kubernetes CRD is not versioned by date and takes the union of all fields, so only ARM envelopes are checked.
 */
export const apiVersions: PipelineRule = {
  id: 'api-versions',
  codes: {
    AIO_PIPELINE_API_VERSION: 'the ARM `apiVersion` has no DataflowGraph (before 2025-07-01-preview) or is not a known version',
    AIO_PIPELINE_FIELD_VERSION: 'a field the declared ARM `apiVersion` does not have (e.g. `headers` in 2025-07-01-preview)',
  },
  check(manifest) {
    const declared = manifest.apiVersion;
    if (declared === undefined || manifest.envelope === 'kubernetes' || declared.value.startsWith('[')) return [];
    const version = API_VERSIONS.find((v) => v === declared.value);
    if (version === undefined) {
      return [
        finding(
          'warning',
          'AIO_PIPELINE_API_VERSION',
          declared.pos,
          `apiVersion "${declared.value}" is not a known Microsoft.IoTOperations version`,
          `known: ${API_VERSIONS.join(', ')}`,
        ),
      ];
    }
    if (API_VERSIONS.indexOf(version) < API_VERSIONS.indexOf(FIRST_WITH_GRAPHS)) {
      return [
        finding(
          'error',
          'AIO_PIPELINE_API_VERSION',
          declared.pos,
          `apiVersion ${version} has no dataflowGraphs resource; it arrived in ${FIRST_WITH_GRAPHS}`,
          `use ${API_VERSIONS.at(-2)!} or later`,
        ),
      ];
    }
    const out: Finding[] = [];
    const check = (field: string, pos: Position, where: string): void => {
      const versions = FIELD_VERSIONS[field]!;
      if (versions.includes(version)) return;
      out.push(
        finding(
          'error',
          'AIO_PIPELINE_FIELD_VERSION',
          pos,
          `${where} is not part of apiVersion ${version}`,
          `it exists in ${versions.join(', ')}; change apiVersion or remove the field`,
        ),
      );
    };
    for (const node of manifest.nodes) {
      if (node.nodeType !== 'Destination') continue;
      if (node.headers !== undefined) check('destinationSettings.headers', node.headers.pos, `destination ${node.name}: destinationSettings.headers`);
      if (node.outputSchemaSettings !== undefined)
        check('destinationSettings.outputSchemaSettings', node.outputSchemaSettings.pos, `destination ${node.name}: destinationSettings.outputSchemaSettings`);
    }
    if (manifest.fileStores !== undefined) check('fileStores', manifest.fileStores.pos, 'fileStores');
    return out;
  },
};
