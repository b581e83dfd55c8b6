/**
 * What each operator kind's template does, as far as the workspace around it needs to know: the parameter its
 * `init` reads (declared in the graph's moduleConfigurations) and what it makes of the sample message, for the
 * workspace's first test.
 */
import type { OperatorKind } from '../workspace/operator-manifest.js';

export interface KindTemplate {
  parameter: { key: string; default: string; description: string };
  /** The sink payload the template's operator produces from SAMPLE_MESSAGE in a graph of its own. */
  expected: unknown;
}

/** data/message1.json of a new workspace. */
export const SAMPLE_MESSAGE = { value: 42, unit: 'C' };

export const KIND_TEMPLATES: Record<OperatorKind, KindTemplate> = {
  map: { parameter: { key: 'scale', default: '2', description: 'Factor the value is multiplied by' }, expected: { value: 84, unit: 'C', scaledBy: 2 } },
  filter: { parameter: { key: 'max_value', default: '100', description: 'Messages with a larger value are dropped' }, expected: SAMPLE_MESSAGE },
  branch: { parameter: { key: 'threshold', default: '50', description: 'Values above it go to the arm "True"' }, expected: SAMPLE_MESSAGE },
  accumulate: {
    parameter: { key: 'field', default: 'value', description: 'Payload field the statistics are taken of' },
    expected: { count: 1, min: 42, max: 42, sum: 42, average: 42 },
  },
  delay: { parameter: { key: 'window_seconds', default: '10', description: 'Length of the tumbling window in seconds' }, expected: SAMPLE_MESSAGE },
};

/** The graph operation name the AIO tooling uses: `module-<module>/<kind>`. */
export function operationName(name: string, kind: OperatorKind): string {
  return `module-${name}/${kind}`;
}
