// {{name}}: a branch operator. Routes messages whose JSON payload's "value" is above the `threshold` parameter
// (default 50) to the arm "True", everything else to the arm "False".
import { defineBranch, log, metrics } from 'aio-graph-cli/sdk';

let threshold = 50;

export const branch = defineBranch({
  init(config) {
    threshold = config.number('threshold', 50);
    log.info(`routing values above ${threshold} to "True"`);
  },
  process(message) {
    const body = message.json<{ value?: unknown }>();
    const high = typeof body.value === 'number' && body.value > threshold;
    metrics.counter('{{name}}_routed', 1, { arm: high ? 'True' : 'False' });
    return high;
  },
});
