import assert from 'node:assert/strict';
import { it } from 'node:test';

/** True under CI (CI=true, as .ci/run is run): there every tool a test needs has been installed. */
export const underCi = (): boolean => !['', '0', 'false', undefined].includes(process.env['CI']?.toLowerCase());

/**
 * A test that needs a tool the machine may lack (`missing` says which and how to install it, or is undefined when
 * it is there). On a developer's machine it is skipped with that reason; under CI a missing tool is a failure, so
 * a skip can never hide a regression there.
 */
export function itWithTool(name: string, missing: string | false | undefined, fn: () => Promise<void> | void): void {
  if (missing && underCi()) {
    it(name, () => assert.fail(`${missing}; under CI a missing tool fails the test (.ci/run installs it)`));
    return;
  }
  it(name, { skip: missing || false }, fn);
}
