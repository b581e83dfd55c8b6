// Tumbling-window statistics, written in JavaScript and built with componentize-js. Two operators that work as a pair:
//   delay       moves each reading's timestamp to the end of its window (window_seconds, default 10), so all the
//               readings of one window share one timestamp
//   accumulate  folds the readings of a window into {"count", "min", "max", "sum", "average"}; the host emits the
//               result once the window's time has passed
const decoder = new TextDecoder();
const encoder = new TextEncoder();

const bytesOf = (value) => (value.tag === 'buffer' ? value.val.read() : value.val);
const textOf = (value) => (value.tag === 'buffer' ? decoder.decode(value.val.read()) : value.val);

function payloadOf(item) {
  if (item.tag === 'message') return bytesOf(item.val.payload);
  if (item.tag === 'buffer-or-bytes') return bytesOf(item.val);
  return new Uint8Array();
}

let windowSeconds = 10n;

export const delay = {
  init(configuration) {
    for (const [key, value] of configuration.properties) {
      if (key !== 'window_seconds') continue;
      if (!/^[1-9][0-9]*$/.test(value)) return false;
      windowSeconds = BigInt(value);
    }
    return true;
  },
  process(_item, timestamp) {
    // The window [start, end) holding this reading ends at the next multiple of window_seconds.
    const secs = (timestamp.timestamp.secs / windowSeconds + 1n) * windowSeconds;
    return { timestamp: { secs, nanos: 0 }, counter: 0n, nodeId: 'window' };
  },
};

export const accumulate = {
  init() {
    return true;
  },
  process(staged, batch) {
    const text = decoder.decode(payloadOf(staged));
    const stats = text ? JSON.parse(text) : { count: 0, min: null, max: null, sum: 0, average: null };
    let last = staged;
    for (const item of batch) {
      last = item;
      let value;
      try {
        value = JSON.parse(decoder.decode(payloadOf(item))).temperature.value;
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
    const payload = { tag: 'bytes', val: encoder.encode(JSON.stringify(stats)) };
    if (last.tag !== 'message') return { tag: 'buffer-or-bytes', val: payload };
    const m = last.val;
    return {
      tag: 'message',
      val: {
        timestamp: { timestamp: m.timestamp.timestamp, counter: m.timestamp.counter, nodeId: { tag: 'string', val: textOf(m.timestamp.nodeId) } },
        topic: { tag: 'bytes', val: bytesOf(m.topic) },
        contentType: { tag: 'string', val: 'application/json' },
        payload,
        properties: { userProperties: [[{ tag: 'string', val: 'window' }, { tag: 'string', val: `${windowSeconds}s` }]] },
        schema: undefined,
      },
    };
  },
};
