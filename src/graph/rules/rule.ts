import type { Finding } from '../../diagnostics.js';
import type { Graph } from '../model.js';

/**
 * A semantic rule: a pure function from the model to findings. Rules never throw and never stop at the first
 * finding; each declares the codes it can emit so the documentation can be checked against them.
 */
export interface GraphRule {
  /** Short kebab-case id, for tests and docs. */
  id: string;
  /** Every diagnostic code this rule can emit, with a one-line summary. */
  codes: Readonly<Record<string, string>>;
  check(graph: Graph): Finding[];
}
