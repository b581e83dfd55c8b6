import { Ajv, type ValidateFunction } from 'ajv';
import type { Finding } from '../diagnostics.js';
import type { SourceDocument } from '../yaml/parse-document.js';
import { schemaFindings } from '../yaml/schema-findings.js';
import { graphSchema } from './schema.js';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // Compiled lazily and once: ajv compilation costs milliseconds that commands without graphs should not pay.
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(graphSchema);
  return compiled;
}

/** Checks a parsed graph against the JSON Schema and turns each violation into a positioned, actionable finding. */
export function checkGraphSchema(source: SourceDocument, value: unknown): Finding[] {
  return schemaFindings(source, value, validator(), graphSchema);
}
