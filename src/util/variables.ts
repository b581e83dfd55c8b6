/**
 * `${NAME}` and `${NAME:-default}`: the one variable syntax of aio.yaml and graph files, filled from the process
 * environment, then from `.env` beside the file. One implementation, so a graph deploys with the values it
 * emulates with and aio.yaml reads them the same way.
 */
import { AioError } from '../errors.js';
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

/**
 * How deep defaults may hold further variables (`${A:-${B:-${C}}}` is two levels); deeper is refused, so a hostile
 * file cannot make the expansion recurse without end.
 */
export const MAX_VARIABLE_NESTING = 8;

/**
 * Fills `${NAME}` and `${NAME:-default}`. A default may itself hold variables (`${A:-x${B}}` is `x` and B's value
 * when A is unset), as in a POSIX shell; a value is inserted as it is and never expanded again, so a variable whose
 * value holds `${…}` cannot chain into others or loop.
 */
export function substitute(text: string, lookup: VariableLookup): Substitution {
  const missing: string[] = [];
  const secrets: string[] = [];
  const expand = (source: string, depth: number): string => {
    const closing = matchingBraces(source);
    let out = '';
    let at = 0;
    for (let start = source.indexOf('${'); start !== -1; start = source.indexOf('${', at)) {
      out += source.slice(at, start);
      const reference = referenceAt(source, start, closing);
      if (reference === undefined) {
        out += '${';
        at = start + 2;
        continue;
      }
      at = reference.end;
      const value = lookup(reference.name);
      if (value !== undefined) {
        if (SECRET_NAME.test(reference.name) && value !== '') secrets.push(value);
        out += value;
      } else if (reference.fallback !== undefined) {
        if (depth >= MAX_VARIABLE_NESTING) {
          throw new AioError('AIO_VARIABLE_TOO_DEEP', `variables nest more than ${MAX_VARIABLE_NESTING} levels deep in defaults: ${excerpt(source, start)}`, {
            hint: 'Write the default out, or set the variable so its default is not needed.',
          });
        }
        out += expand(reference.fallback, depth + 1);
      } else {
        if (!missing.includes(reference.name)) missing.push(reference.name);
        out += source.slice(start, reference.end);
      }
    }
    return out + source.slice(at);
  };
  return { text: expand(text, 0), missing, secrets };
}

const NAME_AT = /[A-Za-z_][A-Za-z0-9_]*/y;

/** The reference `${NAME}` or `${NAME:-default}` starting at `start`; undefined when the text there is not one. */
function referenceAt(text: string, start: number, closing: ReadonlyMap<number, number>): { name: string; fallback?: string; end: number } | undefined {
  NAME_AT.lastIndex = start + 2;
  const name = NAME_AT.exec(text)?.[0];
  const close = closing.get(start);
  if (name === undefined || close === undefined) return undefined;
  const after = start + 2 + name.length;
  if (after === close) return { name, end: close + 1 };
  if (!text.startsWith(':-', after)) return undefined;
  return { name, fallback: text.slice(after + 2, close), end: close + 1 };
}

/** For each `${`, where its `}` is (braces balanced, in one pass, so a long hostile text costs linear time). */
function matchingBraces(text: string): Map<number, number> {
  const closing = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x24 && text.charCodeAt(i + 1) === 0x7b) {
      open.push(i);
      i++;
    } else if (text.charCodeAt(i) === 0x7d && open.length > 0) {
      closing.set(open.pop()!, i);
    }
  }
  return closing;
}

function excerpt(text: string, start: number): string {
  const shown = text.slice(start, start + 60);
  return shown.length < text.length - start ? `${shown}…` : shown;
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
