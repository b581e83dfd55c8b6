/**
 * An environment's `nodes:` applied to a pipeline manifest: per node, what differs in this stage (a Source's
 * endpoint and topics, a Destination's endpoint and topic, a Graph node's registry endpoint and configuration).
 * A binding for a node the manifest lacks, or a field the node's type has not, is a finding at aio.yaml.
 * Replaced values keep the manifest position of what they replace, so later findings still point at the node.
 */
import { finding, type Finding, type Position } from '../diagnostics.js';
import { isBuiltinArtifact } from '../builtins/transforms/index.js';
import type { ConfigurationValue, Located, Manifest, PipelineNode } from '../pipeline/model.js';
import { closest } from '../util/suggest.js';
import type { NodeBinding } from './model.js';

/** Which binding fields each node type takes. */
const FIELDS = {
  Source: ['endpoint', 'topics'],
  Destination: ['endpoint', 'topic'],
  Graph: ['registryEndpoint', 'configuration'],
} as const;

export function applyNodeBindings(manifest: Manifest, bindings: readonly NodeBinding[], environment: string): { manifest: Manifest; findings: Finding[] } {
  const findings: Finding[] = [];
  const nodes = manifest.nodes.map((node) => {
    const binding = bindings.find((b) => b.node === node.name);
    return binding === undefined ? node : bindNode(node, binding, environment, findings);
  });
  for (const binding of bindings) {
    if (manifest.nodes.some((n) => n.name === binding.node)) continue;
    const near = closest(
      binding.node,
      manifest.nodes.map((n) => n.name),
    );
    findings.push(
      finding(
        'error',
        'AIO_PIPELINE_BINDING_UNKNOWN_NODE',
        binding.pos,
        `environment ${environment} binds node ${binding.node}, which ${manifest.file} does not have`,
        `${near === undefined ? '' : `did you mean ${near}? `}nodes: ${manifest.nodes.map((n) => n.name).join(', ')}`,
      ),
    );
  }
  return { manifest: { ...manifest, nodes }, findings };
}

function bindNode(node: PipelineNode, binding: NodeBinding, environment: string, findings: Finding[]): PipelineNode {
  const allowed: readonly string[] = FIELDS[node.nodeType];
  const given = (['endpoint', 'topics', 'topic', 'registryEndpoint', 'configuration'] as const).filter((f) =>
    f === 'configuration' ? binding.configuration.length > 0 : binding[f] !== undefined,
  );
  for (const field of given.filter((f) => !allowed.includes(f))) {
    findings.push(
      finding(
        'error',
        'AIO_PIPELINE_BINDING_KIND',
        binding.pos,
        `environment ${environment}: node ${node.name} is a ${node.nodeType} node, which takes no ${field}`,
        `a ${node.nodeType} node binds ${allowed.join(' and ')}`,
      ),
    );
  }
  const replace = (old: Located<string> | undefined, value: string | undefined): Located<string> | undefined =>
    value === undefined ? old : { value, pos: old?.pos ?? node.pos };
  switch (node.nodeType) {
    case 'Source':
      return {
        ...node,
        endpointRef: replace(node.endpointRef, binding.endpoint),
        dataSources: binding.topics === undefined ? node.dataSources : binding.topics.map((value, i) => ({ value, pos: node.dataSources[i]?.pos ?? node.pos })),
      };
    case 'Destination':
      return { ...node, endpointRef: replace(node.endpointRef, binding.endpoint), dataDestination: replace(node.dataDestination, binding.topic) };
    case 'Graph':
      if (binding.registryEndpoint !== undefined && node.artifact !== undefined && isBuiltinArtifact(node.artifact.value)) {
        findings.push(
          finding(
            'error',
            'AIO_PIPELINE_BINDING_KIND',
            binding.pos,
            `environment ${environment}: node ${node.name} is the built-in ${node.artifact.value}, which is pulled through the default registry endpoint`,
            'bind registryEndpoint only on custom graph nodes',
          ),
        );
      }
      return {
        ...node,
        registryEndpointRef: replace(node.registryEndpointRef, binding.registryEndpoint),
        configuration: mergeConfiguration(node.configuration, binding.configuration, node.pos),
      };
  }
}

/** The manifest's keys with the bound ones replaced in place, and new ones after them. */
function mergeConfiguration(own: readonly ConfigurationValue[], bound: ReadonlyArray<{ key: string; value: string }>, nodePos: Position): ConfigurationValue[] {
  const merged = own.map((entry) => {
    const value = bound.find((b) => b.key === entry.key)?.value;
    return value === undefined ? entry : { ...entry, value, valueRuns: [[0, entry.valuePos.line, entry.valuePos.column] as [number, number, number]] };
  });
  for (const { key, value } of bound) {
    if (own.some((entry) => entry.key === key)) continue;
    merged.push({ key, keyPos: nodePos, value, valuePos: nodePos, valueRuns: [[0, nodePos.line, nodePos.column]] });
  }
  return merged;
}
