/**
 * Every edge that closes a loop in a directed graph, with the loop it closes, found by an iterative depth-first
 * search (a hostile file with thousands of chained nodes must not overflow the stack). Self-loops are left to the
 * callers, which report them on their own. Shared by graph definitions and DataflowGraph manifests.
 */
export function closingEdges<E>(
  nodes: readonly string[],
  outgoing: ReadonlyMap<string, readonly E[]>,
  target: (edge: E) => string,
): Array<{ edge: E; loop: string[] }> {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: Array<{ edge: E; loop: string[] }> = [];
  const explore = (start: string): void => {
    const frames: Array<{ node: string; edges: E[]; next: number }> = [];
    const enter = (node: string): void => {
      state.set(node, 'open');
      stack.push(node);
      frames.push({ node, edges: (outgoing.get(node) ?? []).filter((e) => target(e) !== node), next: 0 });
    };
    enter(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const edge = frame.edges[frame.next++];
      if (edge === undefined) {
        state.set(frame.node, 'done');
        stack.pop();
        frames.pop();
        continue;
      }
      const next = target(edge);
      const seen = state.get(next);
      if (seen === undefined) enter(next);
      else if (seen === 'open') found.push({ edge, loop: [...stack.slice(stack.indexOf(next)), next] });
    }
  };
  for (const node of nodes) if (!state.has(node)) explore(node);
  return found;
}
