import { dotString, mermaidId, mermaidLabel, type DiagramFormat } from '../graph/diagram.js';
import { pipelineAdjacency } from './edges.js';
import type { Manifest, PipelineConnection, PipelineNode } from './model.js';
import { builtinOf, describeNode, nodeDetailFields } from './node-kinds.js';

/**
 * Drawings of a DataflowGraph for people, in the formats `aio graph show` has for graph definitions: a terminal
 * listing, Mermaid and Graphviz DOT. Each node shows its kind and artifact, sources their topics, destinations
 * where they publish; branch arms label their edges. Pure functions.
 */
export function renderPipelineDiagram(manifest: Manifest, format: DiagramFormat): string {
  switch (format) {
    case 'text':
      return renderText(manifest);
    case 'mermaid':
      return renderMermaid(manifest);
    case 'dot':
      return renderDot(manifest);
  }
}

/** Nodes with every input before them (Kahn's algorithm), ties in file order; nodes in a loop come last. */
export function pipelineOrder(manifest: Manifest): PipelineNode[] {
  const { incoming, outgoing } = pipelineAdjacency(manifest);
  const names = new Set(manifest.nodes.map((n) => n.name));
  const remaining = new Map(
    manifest.nodes.map((n) => [n.name, (incoming.get(n.name) ?? []).filter((c) => names.has(c.from.node) && c.from.node !== n.name).length]),
  );
  const order: PipelineNode[] = [];
  const placed = new Set<string>();
  let ready = manifest.nodes.filter((n) => remaining.get(n.name) === 0);
  while (ready.length > 0) {
    const next = ready.shift()!;
    if (placed.has(next.name)) continue;
    placed.add(next.name);
    order.push(next);
    for (const c of outgoing.get(next.name) ?? []) {
      const left = (remaining.get(c.to.name) ?? 0) - 1;
      remaining.set(c.to.name, left);
      if (left === 0) ready = [...ready, ...manifest.nodes.filter((n) => n.name === c.to.name)].sort((a, b) => a.index - b.index);
    }
  }
  return [...order, ...manifest.nodes.filter((n) => !placed.has(n.name))];
}

/** What a node does, in one line: its artifact, or its endpoint and topics. */
function nodeDetail(node: PipelineNode): string {
  const { artifact, endpoint, topics } = nodeDetailFields(node);
  return artifact ?? `${endpoint ?? '?'}: ${topics?.length ? topics.join(', ') : '?'}`;
}

function renderText(manifest: Manifest): string {
  const order = pipelineOrder(manifest);
  const { outgoing } = pipelineAdjacency(manifest);
  const nameWidth = Math.max(...order.map((n) => n.name.length), 4);
  const kindWidth = Math.max(...order.map((n) => describeNode(n).length), 4);
  const numberWidth = String(order.length).length;
  const title = manifest.name?.value ?? '(unnamed DataflowGraph)';
  const lines = [`${title}  (${manifest.file}; DataflowGraph, ${order.length} nodes, ${manifest.connections.length} connections)`, ''];
  order.forEach((node, i) => {
    lines.push(
      `${String(i + 1).padStart(numberWidth)}  ${node.name.padEnd(nameWidth)}  ${describeNode(node).padEnd(kindWidth)}  ${nodeDetail(node)}`.trimEnd(),
    );
    const edges = [...(outgoing.get(node.name) ?? [])].sort((a, b) => (a.from.port ?? '').localeCompare(b.from.port ?? ''));
    const portWidth = Math.max(0, ...edges.map((c) => (c.from.port ?? '').length));
    for (const c of edges) {
      const port = c.from.port === undefined ? '' : `${c.from.port.padEnd(portWidth)} `;
      lines.push(`${' '.repeat(numberWidth)}    ${port}→ ${c.to.name}`);
    }
  });
  return lines.join('\n');
}

function renderMermaid(manifest: Manifest): string {
  const ids = nodeIds(manifest);
  const lines = ['flowchart LR'];
  for (const node of pipelineOrder(manifest)) lines.push(`  ${ids.get(node.name)}${mermaidShape(node)}`);
  for (const c of manifest.connections) {
    lines.push(
      `  ${ids.get(c.from.node) ?? mermaidId(c.from.node)} -->${edgeLabel(c, (l) => `|${mermaidLabel(l)}|`)} ${ids.get(c.to.name) ?? mermaidId(c.to.name)}`,
    );
  }
  return lines.join('\n');
}

function mermaidShape(node: PipelineNode): string {
  const label = mermaidLabel(`${node.name}<br/><i>${describeNode(node)}: ${nodeDetail(node)}</i>`);
  if (node.nodeType !== 'Graph') return `([${label}])`;
  if (builtinOf(node) === 'branch') return `{${label}}`;
  return `[${label}]`;
}

function renderDot(manifest: Manifest): string {
  const lines = [`digraph ${dotString(manifest.name?.value ?? 'dataflowgraph')} {`, '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  for (const node of pipelineOrder(manifest)) {
    const shape = node.nodeType !== 'Graph' ? 'ellipse' : builtinOf(node) === 'branch' ? 'diamond' : 'box';
    lines.push(`  ${dotString(node.name)} [shape=${shape}, label=${dotString(`${node.name}\n${describeNode(node)}: ${nodeDetail(node)}`)}];`);
  }
  for (const c of manifest.connections) lines.push(`  ${dotString(c.from.node)} -> ${dotString(c.to.name)}${edgeLabel(c, (l) => ` [label=${dotString(l)}]`)};`);
  lines.push('}');
  return lines.join('\n');
}

function edgeLabel(c: PipelineConnection, format: (label: string) => string): string {
  return c.from.port === undefined ? '' : format(c.from.port);
}

/** Mermaid ids must be plain words. */
function nodeIds(manifest: Manifest): Map<string, string> {
  const ids = new Map<string, string>();
  manifest.nodes.forEach((n, i) => ids.set(n.name, `n${i}_${mermaidId(n.name)}`));
  return ids;
}
