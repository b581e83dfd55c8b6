/** hostapp.env.list's payload schema (TK_SCHEMA_CONFIG_PATH): its text and the draft-07 validator compiled from it. */
import { Ajv, type ValidateFunction } from 'ajv';
import { AioError } from '../errors.js';
import { parseJson } from '../files/parse-json.js';

export interface PayloadSchema {
  file: string;
  text: string;
  validate: ValidateFunction;
}

/** The validator for a payload schema's text; also used where only the text could travel (the graph worker). */
export function compilePayloadSchema(file: string, text: string): PayloadSchema {
  const schema = parseJson(text, file);
  try {
    // Draft-07, as the AIO host uses; unknown keywords are tolerated like the host does.
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema as object);
    return { file, text, validate };
  } catch (error) {
    throw new AioError('AIO_EMULATE_BAD_SCHEMA', `${file} is not a usable JSON Schema: ${(error as Error).message}`, {
      hint: 'the schema must be draft-07 and self-contained (internal $ref only)',
      location: { file, line: 1, column: 1 },
    });
  }
}

