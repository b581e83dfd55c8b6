// Enrichment operator, written in JavaScript on the aio SDK and built with `aio build`. For every message it reads
// the state store keys named by the `enrichKeys` parameter and adds them to the JSON payload under "enrichment"
// and as MQTT user properties, so downstream consumers can route by factory or machine.
import { defineMap, log, stateStore } from 'aio-graph-cli/sdk';

let keys = ['factoryId', 'machineId'];

export const map = defineMap({
  init(config) {
    const listed = config.string('enrichKeys');
    if (listed !== undefined)
      keys = listed
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== '');
    return keys.length > 0;
  },
  process(message) {
    if (!message.isMessage) throw new Error('enrich expects MQTT messages');
    const enrichment = {};
    for (const key of keys) {
      const value = stateStore.get(key);
      if (value === undefined) log.warn(`state store has no ${key}`);
      else enrichment[key] = value;
    }
    let body;
    try {
      body = message.json();
    } catch {
      throw new Error('payload is not JSON');
    }
    // Appended to the properties the message came with (repeated keys are kept).
    return { json: { ...body, enrichment }, userPropertyList: [...message.userPropertyList, ...Object.entries(enrichment)] };
  },
});
