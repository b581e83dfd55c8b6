// Unit test: `aio operator test {{name}}` runs it in Node with an in-memory host (no build needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testOperator } from 'aio-graph-cli/sdk/testing';
import { map } from './index.js';

test('scales the value by the scale parameter', () => {
  const harness = testOperator(map, { config: { scale: '3' } });
  const out = harness.map({ json: { value: 14, unit: 'C' } });
  assert.deepEqual(out.json(), { value: 42, unit: 'C', scaledBy: 3 });
  assert.equal(harness.counter('{{name}}_scaled'), 1);
});
