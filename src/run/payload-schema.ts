/** hostapp.env.list's payload schema (TK_SCHEMA_CONFIG_PATH): its text and the draft-07 validator compiled from it. */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import { AioError } from '../errors.js';
import { parseJson } from '../files/parse-json.js';

export interface PayloadSchema {
  file: string;
  text: string;
  validate: ValidateFunction;
}

/**
 * Validators compiled in this thread, by file and text: planning compiles the schema to check it and loading needs
 * it again, on this thread (data folder, `aio test`, `--broker`) or, from the text alone, on the graph worker's.
 */
const compiled = new Map<string, PayloadSchema>();

/** The validator for a payload schema's text, compiled once per thread. */
export function compilePayloadSchema(file: string, text: string): PayloadSchema {
  const key = `${file}\0${text}`;
  let schema = compiled.get(key);
  if (schema === undefined) {
    schema = compile(file, text);
    compiled.set(key, schema);
  }
  return schema;
}

function compile(file: string, text: string): PayloadSchema {
  const schema = parseJson(text, file);
  try {
    // Draft-07, as the AIO host uses; unknown keywords are tolerated like the host does.
    const validate = new (ajv())({ allErrors: true, strict: false }).compile(schema as object);
    return { file, text, validate };
  } catch (error) {
    throw new AioError('AIO_EMULATE_BAD_SCHEMA', `${file} is not a usable JSON Schema: ${(error as Error).message}`, {
      hint: 'the schema must be draft-07 and self-contained (internal $ref only)',
      location: { file, line: 1, column: 1 },
    });
  }
}

/**
 * ajv, loaded when a schema is first compiled: the graph worker's thread imports this module with the engine, and
 * most graphs have no payload schema, so loading ajv there on every start only delayed the first message.
 */
function ajv(): typeof AjvClass {
  return (createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass }).Ajv;
}
