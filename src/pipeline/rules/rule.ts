import type { Finding } from '../../diagnostics.js';
import type { Manifest } from '../model.js';

/**
 * A structural rule of a DataflowGraph manifest (spec §1.6 and what the cluster rejects): a pure function from
 * the model to findings. Rules never throw and never stop at the first finding; each declares the codes it emits.
 */
export interface PipelineRule {
  /** Short kebab-case id, for tests and docs. */
  id: string;
  /** Every diagnostic code this rule can emit, with a one-line summary. */
  codes: Readonly<Record<string, string>>;
  check(manifest: Manifest): Finding[];
}
