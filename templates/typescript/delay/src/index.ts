// {{name}}: a delay operator. Moves each message's timestamp to the end of its tumbling window of
// `window_seconds` (default 10), so an accumulate after it folds one window at a time.
import { defineDelay, log, metrics } from 'aio-graph-cli/sdk';

let windowSeconds = 10;

export const delay = defineDelay({
  init(config) {
    windowSeconds = config.number('window_seconds', 10);
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
      log.error(`window_seconds must be a whole number of seconds ≥ 1, not ${windowSeconds}`);
      return false;
    }
    log.info(`windows of ${windowSeconds} s`);
  },
  process(_message, timestamp) {
    metrics.counter('{{name}}_delayed');
    // The window [start, end) holding this timestamp ends at the next multiple of window_seconds.
    const end = (Math.floor(timestamp.secs / windowSeconds) + 1) * windowSeconds;
    return { secs: end, nanos: 0, counter: 0, nodeId: '{{name}}' };
  },
});
