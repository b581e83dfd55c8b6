/** `aio emulate --metrics`: /metrics scraped during a live run and read with a Prometheus text-format parser. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Journey } from '../../src/emulator/tracer.js';
import { before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { copyExample, eventually } from '../helpers/examples.js';
import { withTempDir } from '../helpers/temp-dir.js';

interface Family {
  name: string;
  type: string;
  metrics: Array<{ labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string }>;
}

async function scrape(url: string): Promise<Family[]> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parsePrometheusTextFormat(await response.text()) as Family[];
}

function valueOf(families: Family[], name: string, labels: Record<string, string>): number | undefined {
  const family = families.find((f) => f.name === name);
  const metric = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return metric?.value === undefined ? undefined : Number(metric.value);
}

describe('aio emulate --metrics', () => {
  before(() => useSharedCache());

  it('serves per-operation counters, call-time histograms and the modules’ own metrics while messages flow', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const traceFile = join(dir, 'live-trace.jsonl');
      const emulator = await startEmulator([join(ws, 'graph.dataflow.yaml'), '--port', '0', '--metrics', '127.0.0.1:0', '--trace-file', traceFile, '--json']);
      const url = /^metrics: (\S+)/m.exec(emulator.stderr())![1]!;
      const before = await scrape(url);
      assert.equal(valueOf(before, 'aio_operation_messages_in_total', { operation: 'module-thermostat/map' }), 0);

      const pub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
      for (const f of [68, 77, 86, 2000]) await pub.publishAsync('sensors/t', JSON.stringify({ temperature: { value: f, unit: 'F' } }), { qos: 1 });
      let families: Family[] = [];
      await eventually(async () => {
        families = await scrape(url);
        return valueOf(families, 'aio_operation_messages_in_total', { operation: 'module-thermostat/filter' }) === 4;
      }, 'the counts of four messages');
      assert.equal(valueOf(families, 'aio_operation_messages_dropped_total', { operation: 'module-thermostat/filter', type: 'filter' }), 1);
      assert.equal(valueOf(families, 'aio_operation_messages_out_total', { operation: 'module-thermostat/map' }), 4);
      assert.equal(valueOf(families, 'aio_operation_errors_total', { operation: 'module-thermostat/map' }), 0);
      // The parser folds a histogram's series into one (it was written for unlabelled ones), so only its family is
      // checked through it; its per-operation lines are checked as written.
      assert.equal(families.find((f) => f.name === 'aio_operation_call_duration_seconds')?.type, 'HISTOGRAM');
      const text = await (await fetch(url)).text();
      assert.match(text, /^aio_operation_call_duration_seconds_count\{operation="module-thermostat\/map"\} 4$/m);
      assert.match(text, /^aio_operation_call_duration_seconds_bucket\{operation="module-thermostat\/map",le="\+Inf"\} 4$/m);
      // The thermostat's map counts each reading it converts through the WIT metrics interface, with its labels.
      const converted = families.find((f) => f.name === 'converted_total')!;
      assert.equal(converted.type, 'COUNTER');
      assert.deepEqual(converted.metrics, [{ labels: { operation: 'module-thermostat/map', from: 'F', to: 'C' }, value: '4' }]);

      await pub.endAsync();
      const stopped = await emulator.interrupt();
      assert.equal(stopped.code, 0, stopped.stderr);
      // --trace-file: the live run appended each message's journey, named by its topic.
      const journeys = (await readFile(traceFile, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Journey);
      const fromInputs = journeys.filter((j) => j.input === 'sensors/t');
      assert.equal(fromInputs.length, 4);
      assert.deepEqual(
        fromInputs[3]!.ends.map((e) => [e.operation, e.outcome]),
        [['module-thermostat/filter', 'filtered']],
      );
    });
  });
});
