// {{name}}: a filter operator. Keeps messages whose JSON payload's "value" is at most the `max_value` parameter
// (default 100) and drops the others; messages without a numeric value pass.
import { defineFilter, log, metrics } from 'aio-graph-cli/sdk';

let maxValue = 100;

export const filter = defineFilter({
  init(config) {
    maxValue = config.number('max_value', 100);
    log.info(`keeping values up to ${maxValue}`);
  },
  process(message) {
    const body = message.json();
    if (typeof body.value !== 'number' || body.value <= maxValue) return true;
    metrics.counter('{{name}}_dropped');
    log.debug(`dropped value ${body.value} (above ${maxValue})`);
    return false;
  },
});
