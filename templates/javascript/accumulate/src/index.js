// {{name}}: an accumulate operator. Folds the messages of one timestamp (put a delay before it to make windows)
// into {"count", "min", "max", "sum", "average"} of the payload field named by the `field` parameter (default
// "value").
import { defineAccumulate, log, metrics } from 'aio-graph-cli/sdk';


let field = 'value';

export const accumulate = defineAccumulate({
  init(config) {
    field = config.string('field', 'value');
    log.info(`accumulating the "${field}" field`);
  },
  process(staged, batch) {
    const stats = staged.json({ count: 0, min: null, max: null, sum: 0, average: null });
    for (const message of batch) {
      const value = message.json()[field];
      if (typeof value !== 'number') continue;
      stats.count += 1;
      stats.min = stats.min === null ? value : Math.min(stats.min, value);
      stats.max = stats.max === null ? value : Math.max(stats.max, value);
      stats.sum += value;
      stats.average = stats.sum / stats.count;
    }
    metrics.histogram('{{name}}_batch_size', batch.length);
    return { json: stats };
  },
});
