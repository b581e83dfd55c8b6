/**
 * The built-in concatenate (spec builtin-transforms.md §3.4): forwards every message of every incoming connection
 * unmodified, merged in timestamp order. That is exactly the engine's own concatenate operation, so it is reused
 * rather than written twice. The built-in takes no configuration; one supplied is ignored with a warning.
 */
import type { BuiltinCompileResult, BuiltinFinding, ConfigurationEntry } from '../builtin-transform.js';
import { OPERATION_NODES } from '../../engine/operators.js';

export function compileConcatenate(entries: readonly ConfigurationEntry[]): BuiltinCompileResult {
  const findings: BuiltinFinding[] = entries.map((entry) => ({
    severity: 'warning',
    code: 'AIO_BUILTIN_CONFIGURATION_IGNORED',
    message: `concatenate takes no configuration; key \`${entry.key}\` is ignored`,
    hint: 'remove graphSettings.configuration from this node',
    key: entry.key,
    offset: undefined,
  }));
  return { findings, builtin: { name: 'concatenate', version: '1.0.0', outputs: [], instantiate: (context) => OPERATION_NODES.concatenate(context) } };
}
