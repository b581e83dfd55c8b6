import { adjacency, type Graph, type Operation } from './model.js';
import { topologicalOrder } from './topology.js';

/** Drawings of a graph for people: a terminal listing, Mermaid for docs, Graphviz DOT. Pure functions. */

export const DIAGRAM_FORMATS = ['text', 'mermaid', 'dot'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

export function renderDiagram(graph: Graph, format: DiagramFormat): string {
  switch (format) {
    case 'text':
      return renderText(graph);
    case 'mermaid':
      return renderMermaid(graph);
    case 'dot':
      return renderDot(graph);
  }
}

/** Operations in topological order, each with its type and module and where its output goes. */
export function renderText(graph: Graph): string {
  const order = topologicalOrder(graph);
  const { outgoing } = adjacency(graph);
  const nameWidth = Math.max(...order.map((o) => o.name.length), 4);
  const typeWidth = Math.max(...order.map((o) => (o.type ?? '?').length), 4);
  const numberWidth = String(order.length).length;
  const title = [graph.metadata.name ?? '(unnamed graph)', graph.metadata.version].filter(Boolean).join(' ');
  const lines = [`${title}  (${graph.file}; ${order.length} operations, ${graph.connections.length} connections)`, ''];
  order.forEach((o, i) => {
    const number = String(i + 1).padStart(numberWidth);
    const module = o.module === undefined ? '' : `  ${o.module}`;
    lines.push(`${number}  ${o.name.padEnd(nameWidth)}  ${(o.type ?? '?').padEnd(typeWidth)}${module}`.trimEnd());
    const edges = [...(outgoing.get(o.name) ?? [])].sort((a, b) => (a.from.arm ?? '').localeCompare(b.from.arm ?? ''));
    for (const c of edges) {
      const arm = c.from.arm === undefined ? '' : `${c.from.arm.padEnd(5)} `;
      lines.push(`${' '.repeat(numberWidth)}    ${arm}→ ${c.to.name}`);
    }
  });
  return lines.join('\n');
}

export function renderMermaid(graph: Graph): string {
  const ids = nodeIds(graph);
  const lines = ['flowchart LR'];
  for (const o of topologicalOrder(graph)) lines.push(`  ${ids.get(o.name)}${mermaidShape(o)}`);
  for (const c of graph.connections) {
    const label = c.from.arm === undefined ? '' : `|${c.from.arm}|`;
    lines.push(`  ${ids.get(c.from.name) ?? mermaidId(c.from.name)} -->${label} ${ids.get(c.to.name) ?? mermaidId(c.to.name)}`);
  }
  return lines.join('\n');
}

function mermaidShape(o: Operation): string {
  const label = mermaidLabel(o.module === undefined ? `${o.name}<br/><i>${o.type ?? '?'}</i>` : `${o.name}<br/><i>${o.type ?? '?'}: ${o.module}</i>`);
  if (o.type === 'source' || o.type === 'sink') return `([${label}])`;
  if (o.type === 'branch') return `{${label}}`;
  return `[${label}]`;
}

export function mermaidLabel(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

export function renderDot(graph: Graph): string {
  const lines = [`digraph ${dotString(graph.metadata.name ?? 'graph')} {`, '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  for (const o of topologicalOrder(graph)) {
    const shape = o.type === 'source' || o.type === 'sink' ? 'ellipse' : o.type === 'branch' ? 'diamond' : 'box';
    const label = o.module === undefined ? `${o.name}\n${o.type ?? '?'}` : `${o.name}\n${o.type ?? '?'}: ${o.module}`;
    lines.push(`  ${dotString(o.name)} [shape=${shape}, label=${dotString(label)}];`);
  }
  for (const c of graph.connections) {
    const label = c.from.arm === undefined ? '' : ` [label=${dotString(c.from.arm)}]`;
    lines.push(`  ${dotString(c.from.name)} -> ${dotString(c.to.name)}${label};`);
  }
  lines.push('}');
  return lines.join('\n');
}

export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Mermaid ids must be plain words; operation names hold slashes and dashes. */
function nodeIds(graph: Graph): Map<string, string> {
  const ids = new Map<string, string>();
  graph.operations.forEach((o, i) => ids.set(o.name, `n${i}_${mermaidId(o.name)}`));
  return ids;
}

export function mermaidId(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}
