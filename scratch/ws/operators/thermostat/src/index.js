// Thermostat operator, written in JavaScript and built into a WebAssembly component with componentize-js
// (`npm run build:components examples`). One module, three operators:
//   map     °F readings → °C: {"temperature": {"value": 212, "unit": "F"}} → {"temperature": {"value": 100, "unit": "C"}}
//   filter  drops temperature readings outside [temperature_lower_bound, temperature_upper_bound] (°C)
//   branch  "True" for temperature readings, "False" for anything else (status messages, alarms)
import { log } from 'wasm-graph:processor/logger@1.1.0';
import { addToCounter } from 'wasm-graph:processor/metrics@1.1.0';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

// The host lends payloads as `buffer` handles; modules may also get plain bytes.
const bytesOf = (value) => (value.tag === 'buffer' ? value.val.read() : value.val);
const textOf = (value) => (value.tag === 'buffer' ? decoder.decode(value.val.read()) : value.val);

function payloadOf(item) {
  if (item.tag === 'message') return bytesOf(item.val.payload);
  if (item.tag === 'buffer-or-bytes') return bytesOf(item.val);
  return new Uint8Array();
}

/** The reading in the payload, or undefined when the message is not a temperature reading. */
function temperatureOf(item) {
  try {
    const body = JSON.parse(decoder.decode(payloadOf(item)));
    const t = body && body.temperature;
    return t && typeof t.value === 'number' ? { body, value: t.value, unit: t.unit } : undefined;
  } catch {
    return undefined;
  }
}

/** The same message with a new payload; everything else (topic, properties) is copied out of the lent handles. */
function withPayload(item, bytes) {
  if (item.tag !== 'message') return { tag: 'buffer-or-bytes', val: { tag: 'bytes', val: bytes } };
  const m = item.val;
  return {
    tag: 'message',
    val: {
      timestamp: { timestamp: m.timestamp.timestamp, counter: m.timestamp.counter, nodeId: { tag: 'string', val: textOf(m.timestamp.nodeId) } },
      topic: { tag: 'bytes', val: bytesOf(m.topic) },
      contentType: { tag: 'string', val: 'application/json' },
      payload: { tag: 'bytes', val: bytes },
      properties: { userProperties: m.properties.userProperties.map(([k, v]) => [{ tag: 'string', val: textOf(k) }, { tag: 'string', val: textOf(v) }]) },
      schema: undefined,
    },
  };
}

export const map = {
  init() {
    return true;
  },
  process(item) {
    const reading = temperatureOf(item);
    if (!reading || reading.unit !== 'F') return withPayload(item, payloadOf(item));
    const celsius = Math.round(((reading.value - 32) * 5) / 9 * 100) / 100;
    reading.body.temperature = { ...reading.body.temperature, value: celsius, unit: 'C' };
    addToCounter('converted', { tag: 'u64', val: 1n }, undefined);
    return withPayload(item, encoder.encode(JSON.stringify(reading.body)));
  },
};

let lower = -40;
let upper = 150;

export const filter = {
  init(configuration) {
    for (const [key, value] of configuration.properties) {
      const bound = Number(value);
      if (!Number.isFinite(bound)) {
        log('error', 'thermostat/filter', `${key}=${value} is not a number`);
        return false;
      }
      if (key === 'temperature_lower_bound') lower = bound;
      if (key === 'temperature_upper_bound') upper = bound;
    }
    return lower <= upper;
  },
  process(item) {
    const reading = temperatureOf(item);
    if (!reading) return true;
    const keep = reading.value >= lower && reading.value <= upper;
    if (!keep) log('info', 'thermostat/filter', `dropped ${reading.value} ${reading.unit}: outside [${lower}, ${upper}]`);
    return keep;
  },
};

export const branch = {
  init() {
    return true;
  },
  process(_timestamp, item) {
    return temperatureOf(item) !== undefined;
  },
};
