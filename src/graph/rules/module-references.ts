import { finding, type Finding } from '../../diagnostics.js';
import { VARIABLE } from '../../util/variables.js';
import type { GraphRule } from './rule.js';

/** OCI distribution grammar: repository path components, tags, digests. */
const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;

/**
 * A module reference is pulled by the cluster as `<registry endpoint host>/<reference>`, so it must be an OCI
 * `repository:tag` or `repository@digest`. `../../x:1.0.0` or `Temperature:1.0` could never be served. `${VAR}`
 * placeholders are checked as if filled with a valid value. A reference without a tag is pulled as `:latest`.
 */
export const moduleReferences: GraphRule = {
  id: 'module-references',
  codes: {
    AIO_GRAPH_MODULE_REFERENCE: 'a module reference is not an OCI repository:tag or repository@digest',
    AIO_GRAPH_MODULE_NO_TAG: 'a module reference has no tag, so the cluster pulls :latest (info)',
  },
  check(graph) {
    const out: Finding[] = [];
    for (const o of graph.operations) {
      if (o.module === undefined) continue;
      const pos = o.modulePos ?? o.pos;
      const problem = referenceProblem(o.module.replace(VARIABLE, 'x'));
      if (problem === 'no-tag') {
        out.push(
          finding(
            'info',
            'AIO_GRAPH_MODULE_NO_TAG',
            pos,
            `module "${o.module}" has no tag; the cluster pulls it as ${o.module}:latest`,
            `pin a version: module: "${o.module}:1.0.0"`,
          ),
        );
      } else if (problem !== undefined) {
        out.push(
          finding(
            'error',
            'AIO_GRAPH_MODULE_REFERENCE',
            pos,
            `module "${o.module}" is not an OCI reference the registry could serve: ${problem}`,
            'write it as <repository>:<tag> or <repository>@sha256:<digest>, repository in lowercase letters, digits, ".", "_", "-" and "/" (for example temperature:1.0.0)',
          ),
        );
      }
    }
    return out;
  },
};

function referenceProblem(reference: string): string | 'no-tag' | undefined {
  const at = reference.indexOf('@');
  let repository = reference;
  let tagged = false;
  if (at !== -1) {
    repository = reference.slice(0, at);
    if (!DIGEST.test(reference.slice(at + 1))) return `"${reference.slice(at + 1)}" is not a digest (sha256:<64 hex digits>)`;
    tagged = true;
  }
  const colon = repository.lastIndexOf(':');
  if (colon > repository.lastIndexOf('/')) {
    const tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
    if (!TAG.test(tag)) return `the tag "${tag}" is not valid (letters, digits, "_", "." and "-", at most 128)`;
    tagged = true;
  }
  const bad = repository.split('/').find((component) => !COMPONENT.test(component));
  if (bad !== undefined) return bad === '' ? 'it has an empty path component' : `the path component "${bad}" is not valid`;
  return tagged ? undefined : 'no-tag';
}
