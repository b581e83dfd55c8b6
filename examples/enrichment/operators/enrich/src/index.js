// Enrichment operator, written in JavaScript and built with componentize-js. For every message it reads the
// state store keys named by the `enrichKeys` parameter and adds them to the JSON payload under "enrichment" and
// as MQTT user properties, so downstream consumers can route by factory or machine.
import { log } from 'wasm-graph:processor/logger@1.1.0';
import { get } from 'wasm-graph:processor/state-store@1.1.0';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

const bytesOf = (value) => (value.tag === 'buffer' ? value.val.read() : value.val);
const textOf = (value) => (value.tag === 'buffer' ? decoder.decode(value.val.read()) : value.val);

let keys = ['factoryId', 'machineId'];

/** The key's value in the state store, or undefined when it is not set. */
function lookup(key) {
  const found = get(encoder.encode(key), undefined).response;
  return found === undefined ? undefined : decoder.decode(found);
}

export const map = {
  init(configuration) {
    for (const [key, value] of configuration.properties) {
      if (key === 'enrichKeys') keys = value.split(',').map((k) => k.trim()).filter((k) => k !== '');
    }
    return keys.length > 0;
  },
  process(item) {
    if (item.tag !== 'message') throw { message: `enrich expects MQTT messages, got ${item.tag}` };
    const m = item.val;
    const enrichment = {};
    for (const key of keys) {
      const value = lookup(key);
      if (value === undefined) log('warn', 'enrich', `state store has no ${key}`);
      else enrichment[key] = value;
    }
    let body;
    try {
      body = JSON.parse(decoder.decode(bytesOf(m.payload)));
    } catch {
      throw { message: 'payload is not JSON' };
    }
    body.enrichment = enrichment;
    const userProperties = m.properties.userProperties.map(([k, v]) => [{ tag: 'string', val: textOf(k) }, { tag: 'string', val: textOf(v) }]);
    for (const [key, value] of Object.entries(enrichment)) userProperties.push([{ tag: 'string', val: key }, { tag: 'string', val: value }]);
    return {
      tag: 'message',
      val: {
        timestamp: { timestamp: m.timestamp.timestamp, counter: m.timestamp.counter, nodeId: { tag: 'string', val: textOf(m.timestamp.nodeId) } },
        topic: { tag: 'bytes', val: bytesOf(m.topic) },
        contentType: { tag: 'string', val: 'application/json' },
        payload: { tag: 'bytes', val: encoder.encode(JSON.stringify(body)) },
        properties: { userProperties },
        schema: undefined,
      },
    };
  },
};
