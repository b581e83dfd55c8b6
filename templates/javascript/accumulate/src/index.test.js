// Unit test: `aio operator test {{name}}` runs it in Node with an in-memory host (no build needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testOperator } from 'aio-graph-cli/sdk/testing';
import { accumulate } from './index.js';

test('folds a batch into count, min, max, sum and average', () => {
  const harness = testOperator(accumulate, { config: { field: 'temperature' } });
  const first = harness.accumulate(undefined, [{ json: { temperature: 20 } }, { json: { temperature: 30 } }]);
  const second = harness.accumulate(first, [{ json: { temperature: 25 } }]);
  assert.deepEqual(second.json(), { count: 3, min: 20, max: 30, sum: 75, average: 25 });
});
