import { finding, type Finding } from '../../diagnostics.js';
import type { GraphRule } from './rule.js';

export const sourceAndSink: GraphRule = {
  id: 'source-and-sink',
  codes: {
    AIO_GRAPH_NO_SOURCE: 'the graph has no source operation',
    AIO_GRAPH_NO_SINK: 'the graph has no sink operation',
    AIO_GRAPH_INPUT_INTO_SOURCE: 'a connection leads into a source',
    AIO_GRAPH_OUTPUT_FROM_SINK: 'a connection leaves a sink',
  },
  check(graph) {
    const out: Finding[] = [];
    const typeOf = new Map(graph.operations.map((o) => [o.name, o.type]));
    const anchor = graph.operations[0]?.pos ?? { line: 1, column: 1 };
    if (!graph.operations.some((o) => o.type === 'source')) {
      out.push(
        finding('error', 'AIO_GRAPH_NO_SOURCE', anchor, 'the graph has no operation of type source', 'add `- operationType: source` with `name: source`'),
      );
    }
    if (!graph.operations.some((o) => o.type === 'sink')) {
      out.push(finding('error', 'AIO_GRAPH_NO_SINK', anchor, 'the graph has no operation of type sink', 'add `- operationType: sink` with `name: sink`'));
    }
    for (const c of graph.connections) {
      if (typeOf.get(c.to.name) === 'source') {
        out.push(
          finding(
            'error',
            'AIO_GRAPH_INPUT_INTO_SOURCE',
            c.to.pos,
            `connections[${c.index}] leads into "${c.to.name}", a source; sources take no input`,
            'reverse the connection or connect another operation',
          ),
        );
      }
      if (typeOf.get(c.from.name) === 'sink') {
        out.push(
          finding(
            'error',
            'AIO_GRAPH_OUTPUT_FROM_SINK',
            c.from.pos,
            `connections[${c.index}] leaves "${c.from.name}", a sink; sinks have no output`,
            'reverse the connection or start it from another operation',
          ),
        );
      }
    }
    return out;
  },
};
