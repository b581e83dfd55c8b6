import { finding, type Finding } from '../../diagnostics.js';
import type { BuiltinFinding } from '../../builtins/builtin-transform.js';
import { compileBuiltin } from '../../builtins/transforms/index.js';
import type { GraphNode } from '../model.js';
import { builtinOf } from '../node-kinds.js';
import { positionInValue } from '../value-position.js';
import type { PipelineRule } from './rule.js';

/**
 * Compiles every built-in Graph node's configuration (rules JSON, expressions, window settings) and places each
 * finding where the user wrote it: an offset inside a configuration value becomes the file's line:column through
 * the block scalar or the escaped JSON string it sits in. The codes are the built-ins' own (`AIO_BUILTIN_*`).
 */
export const builtinConfigurations: PipelineRule = {
  id: 'builtin-configurations',
  codes: {},
  check(manifest) {
    const out: Finding[] = [];
    for (const node of manifest.nodes) {
      if (node.nodeType !== 'Graph' || node.artifact === undefined || builtinOf(node) === undefined) continue;
      const entries = node.configuration.map(({ key, value }) => ({ key, value }));
      for (const f of compileBuiltin(node.artifact.value, entries).findings) out.push(placeFinding(node, f));
    }
    return out;
  },
};

/** A built-in finding at its file position: in the value at its offset, else at the entry's key, else at the artifact. */
function placeFinding(node: GraphNode, f: BuiltinFinding): Finding {
  const entry = f.key === undefined ? undefined : node.configuration.find((c) => c.key === f.key);
  const at =
    entry === undefined
      ? (node.artifact?.pos ?? node.pos)
      : f.offset === undefined
        ? entry.keyPos
        : positionInValue(entry.valueRuns, endOfText(entry.value, f.offset), entry.valuePos);
  return finding(f.severity, f.code, at, `node ${node.name}: ${f.message}`, f.hint);
}

/** "End of text" reads best right after the last character written, not after a block scalar's final line break. */
function endOfText(value: string, offset: number): number {
  const written = value.trimEnd().length;
  return offset >= written ? written : offset;
}
