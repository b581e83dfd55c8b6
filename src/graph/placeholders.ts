import { dirname, join } from 'node:path';
import { AioError } from '../errors.js';
import { readDotenv } from '../files/dotenv.js';
import { substitute, VARIABLE, variableLookup, type VariableLookup } from '../util/variables.js';

/** `${NAME}` or `${NAME:-default}`: what release pipelines fill in; shared by the validator's notes and the filler. */
export const PLACEHOLDER = VARIABLE;

/** A graph's variables: the environment, then `.env` beside the graph (the rule aio.yaml follows too). */
export async function graphVariables(file: string, env: NodeJS.ProcessEnv = process.env): Promise<VariableLookup> {
  return variableLookup(env, await readDotenv(join(dirname(file), '.env')));
}

/**
 * Fills `${VAR}` placeholders, as a release pipeline does before pushing a graph. Every unset variable (no value,
 * no default) is named in one error, so a pipeline fails once with the whole list.
 */
export function fillPlaceholders(text: string, lookup: VariableLookup, file: string): string {
  const { text: filled, missing } = substitute(text, lookup);
  if (missing.length > 0) {
    throw new AioError(
      'AIO_PLACEHOLDER_UNSET',
      `${file} uses ${missing.map((n) => `\${${n}}`).join(', ')}, but ${missing.length === 1 ? 'that variable is' : 'those variables are'} not set`,
      {
        hint: `set ${missing.map((n) => `${n}=…`).join(' ')} in the environment or in .env beside the graph, or write \${NAME:-default}`,
      },
    );
  }
  return filled;
}

/** Fills the placeholders that have a value or a default and leaves the rest (for runs, where an unset tag is harmless). */
export function fillKnownPlaceholders(text: string, lookup: VariableLookup): string {
  return substitute(text, lookup).text;
}
