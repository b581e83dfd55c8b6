/** The remote limits: a flag wins over aio.yaml's `remote:` setting, which wins over the default; bad values are named. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AioError } from '../../src/errors.js';
import { DEFAULT_REMOTE_LIMITS, remoteLimits } from '../../src/util/remote-limits.js';

describe('remote limits', () => {
  it('defaults, then aio.yaml, then flags', () => {
    assert.deepEqual(remoteLimits(), DEFAULT_REMOTE_LIMITS);
    const fromYaml = remoteLimits({}, { connectTimeout: '5s', idleTimeout: 2000, requestTimeout: '2m', maxBlobSize: '8GiB', retries: 5 });
    assert.deepEqual(fromYaml, { connectTimeoutMs: 5000, idleTimeoutMs: 2000, requestTimeoutMs: 120_000, maxBlobBytes: 8 * 1024 ** 3, retries: 5 });
    const flagsWin = remoteLimits({ idleTimeout: '1s', retries: '0' }, { idleTimeout: '9s', retries: 5, maxBlobSize: 512 });
    assert.equal(flagsWin.idleTimeoutMs, 1000);
    assert.equal(flagsWin.retries, 0);
    assert.equal(flagsWin.maxBlobBytes, 512 * 1024 ** 2);
  });

  it('a bad value is AIO_LIMIT_INVALID naming the setting', () => {
    for (const [settings, what] of [
      [{ idleTimeout: 'soon' }, /the idle timeout "soon"/],
      [{ maxBlobSize: '4 TB' }, /the maximum blob size "4 TB"/],
      [{ retries: '-1' }, /the retry count "-1"/],
      [{ retries: 2.5 }, /the retry count "2.5"/],
    ] as const) {
      assert.throws(
        () => remoteLimits(settings),
        (error: unknown) => error instanceof AioError && error.code === 'AIO_LIMIT_INVALID' && what.test(error.message),
      );
    }
  });
});
