import { AioError } from '../errors.js';

/** `${NAME}`: what release pipelines fill in before a push; shared by the validator's notes and the filler. */
export const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Fills `${VAR}` placeholders from the environment, as a release pipeline does before pushing a graph. Every
 * unset variable is named in one error, so a pipeline fails once with the whole list.
 */
export function fillPlaceholders(text: string, env: NodeJS.ProcessEnv, file: string): string {
  const missing = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = env[name];
    if (value === undefined) {
      missing.add(name);
      return whole;
    }
    return value;
  });
  if (missing.size > 0) {
    const names = [...missing];
    throw new AioError('AIO_PLACEHOLDER_UNSET', `${file} uses ${names.map((n) => `\${${n}}`).join(', ')}, but ${names.length === 1 ? 'that variable is' : 'those variables are'} not set`, {
      hint: `set ${names.map((n) => `${n}=…`).join(' ')} in the environment before pushing`,
    });
  }
  return filled;
}
