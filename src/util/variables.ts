/**
 * `${NAME}` and `${NAME:-default}`: the one variable syntax of aio.yaml and graph files, filled from the process
 * environment, then from `.env` beside the file. One implementation, so a graph deploys with the values it
 * emulates with and aio.yaml reads them the same way.
 */
export const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Variables whose values are masked in every printed view. */
export const SECRET_NAME = /SECRET|PASSWORD|TOKEN|CREDENTIAL|(^|_)KEY($|_)/i;

export type VariableLookup = (name: string) => string | undefined;

export interface Substitution {
  text: string;
  /** Variables with no value and no default, left in the text as they were. */
  missing: string[];
  /** Values of variables whose names look secret, for masking. */
  secrets: string[];
}

export function substitute(text: string, lookup: VariableLookup): Substitution {
  const missing: string[] = [];
  const secrets: string[] = [];
  const filled = text.replace(VARIABLE, (whole, name: string, fallback: string | undefined) => {
    const value = lookup(name) ?? fallback;
    if (value === undefined) {
      if (!missing.includes(name)) missing.push(name);
      return whole;
    }
    if (SECRET_NAME.test(name) && value !== '') secrets.push(value);
    return value;
  });
  return { text: filled, missing, secrets };
}

/** The environment first, then the `.env` file's values. */
export function variableLookup(env: NodeJS.ProcessEnv, dotenv: ReadonlyMap<string, string>): VariableLookup {
  return (name) => env[name] ?? dotenv.get(name);
}

/**
 * `${outputTopic}` and `${inputTopic}` are not variables but a Destination's topic templates, resolved per
 * message by the runtime (builtin-transforms.md §1.7.1): they pass through untouched wherever variables are filled.
 */
export function keepingTopicTemplates(lookup: VariableLookup): VariableLookup {
  return (name) => (name === 'outputTopic' || name === 'inputTopic' ? `\${${name}}` : lookup(name));
}
