// Thermostat operator, written in TypeScript on the aio SDK and built with `aio build`. One module, three operators:
//   map     °F readings → °C: {"temperature": {"value": 212, "unit": "F"}} → {"temperature": {"value": 100, "unit": "C"}}
//   filter  drops temperature readings outside [temperature_lower_bound, temperature_upper_bound] (°C)
//   branch  "True" for temperature readings, "False" for anything else (status messages, alarms)
import { defineBranch, defineFilter, defineMap, log, metrics, type Message } from 'aio-graph-cli/sdk';

interface Reading {
  body: { temperature: { value: number; unit?: string } } & Record<string, unknown>;
  value: number;
  unit: string | undefined;
}

/** The reading in the payload, or undefined when the message is not a temperature reading. */
function temperatureOf(message: Message): Reading | undefined {
  try {
    const body = message.json<Reading['body']>();
    const t = body?.temperature;
    return t && typeof t.value === 'number' ? { body, value: t.value, unit: t.unit } : undefined;
  } catch {
    return undefined;
  }
}

export const map = defineMap({
  process(message) {
    const reading = temperatureOf(message);
    if (!reading || reading.unit !== 'F') return { contentType: 'application/json' };
    const celsius = Math.round((((reading.value - 32) * 5) / 9) * 100) / 100;
    metrics.counter('converted', 1, { from: 'F', to: 'C' });
    return { json: { ...reading.body, temperature: { ...reading.body.temperature, value: celsius, unit: 'C' } } };
  },
});

let lower = -40;
let upper = 150;

export const filter = defineFilter({
  init(config) {
    lower = config.number('temperature_lower_bound', lower);
    upper = config.number('temperature_upper_bound', upper);
    return lower <= upper;
  },
  process(message) {
    const reading = temperatureOf(message);
    if (!reading) return true;
    const keep = reading.value >= lower && reading.value <= upper;
    if (!keep) log.info(`dropped ${reading.value} ${reading.unit}: outside [${lower}, ${upper}]`);
    return keep;
  },
});

export const branch = defineBranch({
  process(message) {
    return temperatureOf(message) !== undefined;
  },
});
