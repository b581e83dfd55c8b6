/**
 * Operator (module) names follow the AIO tooling's rule: lowercase letters and digits only. The VS Code extension
 * refuses `-` and `_`, and names with them break its build and run steps, so aio refuses them too.
 */
import { AioError } from '../errors.js';

const OPERATOR_NAME = /^[a-z][a-z0-9]*$/;

/** Throws AIO_OPERATOR_NAME_INVALID, saying why and suggesting a name that would pass. */
export function assertOperatorName(name: string): void {
  if (OPERATOR_NAME.test(name)) return;
  const suggestion = name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/^[0-9]+/, '');
  const why =
    name === ''
      ? 'it is empty'
      : /^[0-9]/.test(name)
        ? 'it starts with a digit'
        : /[A-Z]/.test(name)
          ? 'it has uppercase letters'
          : 'it has characters other than lowercase letters and digits';
  throw new AioError('AIO_OPERATOR_NAME_INVALID', `operator name ${JSON.stringify(name)} is not allowed: ${why}`, {
    hint: `Use lowercase letters and digits only, starting with a letter (the AIO tooling's rule; "-" and "_" break its build)${suggestion ? `, e.g. "${suggestion}"` : ''}.`,
  });
}
