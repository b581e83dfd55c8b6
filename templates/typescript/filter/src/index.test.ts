// Unit test: `aio operator test {{name}}` runs it in Node with an in-memory host (no build needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testOperator } from 'aio-graph-cli/sdk/testing';
import { filter } from './index.js';

test('drops values above max_value and keeps the rest', () => {
  const harness = testOperator(filter, { config: { max_value: '50' } });
  assert.equal(harness.filter({ json: { value: 42 } }), true);
  assert.equal(harness.filter({ json: { value: 51 } }), false);
  assert.equal(harness.counter('{{name}}_dropped'), 1);
});
