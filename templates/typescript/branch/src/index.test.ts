// Unit test: `aio operator test {{name}}` runs it in Node with an in-memory host (no build needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testOperator } from 'aio-graph-cli/sdk/testing';
import { branch } from './index.js';

test('routes values above the threshold to "True"', () => {
  const harness = testOperator(branch, { config: { threshold: '10' } });
  assert.equal(harness.branch({ json: { value: 42 } }), true);
  assert.equal(harness.branch({ json: { value: 7 } }), false);
  assert.equal(harness.branch({ json: { status: 'ok' } }), false);
});
