import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settleOutputs } from '../../src/emulator/live-run.js';
import { AioError } from '../../src/errors.js';

describe('the drain contract every live driver keeps', () => {
  it('returns once every output is taken', async () => {
    let pending = 3;
    const timer = setInterval(() => (pending = Math.max(0, pending - 1)), 5);
    await settleOutputs({ pending: () => pending, failed: () => 0 }, 2000, 'hint');
    clearInterval(timer);
    assert.equal(pending, 0);
  });

  it('fails with AIO_EMULATE_UNDELIVERED (exit 4), counting outputs still pending and outputs refused', async () => {
    await assert.rejects(settleOutputs({ pending: () => 2, failed: () => 1 }, 30, 'why'), (error: unknown) => {
      assert.ok(error instanceof AioError);
      assert.equal(error.code, 'AIO_EMULATE_UNDELIVERED');
      assert.equal(error.exit, 4);
      assert.equal(error.message, '2 output message(s) were not acknowledged by the broker before shutdown; 1 output message(s) were refused by the broker');
      assert.equal(error.hint, 'why');
      return true;
    });
  });
});
