// {{name}}: a map operator. Each message's JSON payload {"value": <number>, ...} comes out with value multiplied by
// the `scale` parameter (from the graph's moduleConfigurations; default 2) and "scaledBy" added.
import { defineMap, log, metrics } from 'aio-graph-cli/sdk';

let scale = 2;

export const map = defineMap({
  init(config) {
    scale = config.number('scale', 2);
    log.info(`scaling values by ${scale}`);
  },
  process(message) {
    const body = message.json<{ value?: unknown }>();
    if (typeof body.value !== 'number') return message; // not a reading: passed on unchanged
    metrics.counter('{{name}}_scaled');
    return { json: { ...body, value: body.value * scale, scaledBy: scale } };
  },
});
