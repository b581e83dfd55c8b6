// Unit test: `aio operator test {{name}}` runs it in Node with an in-memory host (no build needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testOperator, Message } from 'aio-graph-cli/sdk/testing';
import { delay } from './index.js';

test('moves a timestamp to the end of its window', () => {
  const harness = testOperator(delay, { config: { window_seconds: '10' } });
  const next = harness.delay(Message.of({ json: { value: 1 }, timestamp: { secs: 1_700_000_003, nanos: 5, counter: 2, nodeId: 'n' } }));
  assert.deepEqual(next, { secs: 1_700_000_010, nanos: 0, counter: 0, nodeId: '{{name}}' });
});
