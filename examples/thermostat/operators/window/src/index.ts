// Tumbling-window statistics, written in TypeScript on the aio SDK and built with `aio build`. Two operators that
// work as a pair:
//   delay       moves each reading's timestamp to the end of its window (window_seconds, default 10), so all the
//               readings of one window share one timestamp
//   accumulate  folds the readings of a window into {"count", "min", "max", "sum", "average"}; the host emits the
//               result once the window's time has passed
import { defineAccumulate, defineDelay } from 'aio-graph-cli/sdk';

let windowSeconds = 10;

export const delay = defineDelay({
  init(config) {
    const raw = config.string('window_seconds', '10')!;
    if (!/^[1-9][0-9]*$/.test(raw)) return false;
    windowSeconds = Number(raw);
  },
  process(_message, timestamp) {
    // The window [start, end) holding this reading ends at the next multiple of window_seconds.
    const secs = (Math.floor(timestamp.secs / windowSeconds) + 1) * windowSeconds;
    return { secs, nanos: 0, counter: 0, nodeId: 'window' };
  },
});

interface Stats {
  count: number;
  min: number | null;
  max: number | null;
  sum: number;
  average: number | null;
}

export const accumulate = defineAccumulate({
  process(staged, batch) {
    const stats = staged.json<Stats>({ count: 0, min: null, max: null, sum: 0, average: null });
    for (const message of batch) {
      let value: unknown;
      try {
        value = message.json<{ temperature: { value: unknown } }>().temperature.value;
      } catch {
        continue;
      }
      if (typeof value !== 'number') continue;
      stats.count += 1;
      stats.min = stats.min === null ? value : Math.min(stats.min, value);
      stats.max = stats.max === null ? value : Math.max(stats.max, value);
      stats.sum = Math.round((stats.sum + value) * 1000) / 1000;
      stats.average = Math.round((stats.sum / stats.count) * 1000) / 1000;
    }
    return { json: stats, userProperties: { window: `${windowSeconds}s` } };
  },
});
