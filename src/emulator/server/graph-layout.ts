/**
 * The dashboard's drawing of the graph: dagre places the operations left to right and routes the connections;
 * the page only draws the boxes and lines it is given, so the browser needs no layout library of its own.
 */
import dagre from '@dagrejs/dagre';
import { operationKind, type Graph, type Operation } from '../../graph/model.js';
import { parseBuiltinArtifact } from '../../builtins/transforms/index.js';

export interface LaidOutNode {
  name: string;
  type: string;
  module?: string;
  /** Centre and size, in the drawing's units (CSS pixels at scale 1). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  arm?: string;
  points: Array<{ x: number; y: number }>;
}

export interface GraphLayout {
  name: string;
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

/** Room for the name, the type line and a row of counts. */
const NODE_HEIGHT = 74;
/** Widths of a character of the page's bold 13 px name and 11 px detail lines, with some to spare. */
const NAME_CHAR_WIDTH = 8.6;
const CHAR_WIDTH = 7;
const MIN_NODE_WIDTH = 150;

export function layoutGraph(graph: Graph): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 70, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const op of graph.operations) {
    const text = Math.max(op.name.length * NAME_CHAR_WIDTH, `${operationKind(op)}: ${moduleOf(op) ?? ''}`.length * CHAR_WIDTH);
    g.setNode(op.name, { width: Math.max(MIN_NODE_WIDTH, Math.round(text) + 24), height: NODE_HEIGHT });
  }
  graph.connections.forEach((c, index) => {
    // A branch's arms get a label of their own, so dagre leaves room for it.
    const label = c.from.arm === undefined ? {} : { width: c.from.arm.length * CHAR_WIDTH, height: 14 };
    g.setEdge(c.from.name, c.to.name, label, String(index));
  });
  dagre.layout(g);
  const size = g.graph();
  return {
    name: graph.metadata.name ?? '(unnamed graph)',
    width: Math.ceil(size.width ?? 0),
    height: Math.ceil(size.height ?? 0),
    nodes: graph.operations.map((op) => {
      const node = g.node(op.name);
      return {
        name: op.name,
        type: operationKind(op),
        ...(moduleOf(op) === undefined ? {} : { module: moduleOf(op) }),
        x: node.x,
        y: node.y,
        width: node.width,
        height: node.height,
      };
    }),
    edges: graph.connections.map((c, index) => ({
      from: c.from.name,
      to: c.to.name,
      ...(c.from.arm === undefined ? {} : { arm: c.from.arm }),
      points: (g.edge({ v: c.from.name, w: c.to.name, name: String(index) }).points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })),
    })),
  };
}

/** What runs the operation: its module, a built-in's artifact, or a destination's topic. */
function moduleOf(op: Operation): string | undefined {
  if (op.native?.kind === 'builtin') return `built-in ${op.native.transform}:${parseBuiltinArtifact(op.native.artifact)?.tag ?? 'latest'}`;
  if (op.native?.kind === 'destination') return op.native.topic;
  return op.module;
}
