import { AioError, ExitCode, errorMessage } from '../errors.js';
import { hasErrors, sortDiagnostics, type Diagnostic, type Finding } from '../diagnostics.js';
import { readUserTextFile } from '../files/read-user-file.js';
import { GraphInvalidError } from '../graph/validate.js';
import type { Manifest } from './model.js';
import { parseYaml, type ParsedYaml } from '../yaml/parse-document.js';
import { manifestFromYaml } from './parse-manifest.js';
import { PIPELINE_RULES } from './rules/index.js';

export interface ManifestValidation {
  file: string;
  /** The model, present when the file is a DataflowGraph in some envelope (possibly with errors: see `valid`). */
  manifest: Manifest | undefined;
  /** True when there is no error (warnings and notes allowed). */
  valid: boolean;
  diagnostics: Diagnostic[];
}

/** Validates manifest text completely: YAML/JSON syntax, the resource's shape, then every rule. Never throws on user input. */
export function validateManifestText(file: string, text: string): ManifestValidation {
  return validateParsedManifest(file, parseYaml(text));
}

/** `validateManifestText` over a document already parsed. */
export function validateParsedManifest(file: string, parsed: ParsedYaml): ManifestValidation {
  try {
    const { manifest, findings } = manifestFromYaml(file, parsed);
    if (manifest !== undefined) for (const rule of PIPELINE_RULES) findings.push(...rule.check(manifest));
    return manifestResult(file, manifest, findings);
  } catch (error) {
    // A safety net for defects in aio itself: the user still gets a verdict, not a stack trace.
    return manifestResult(file, undefined, [
      {
        line: 1,
        column: 1,
        severity: 'error',
        code: 'AIO_INTERNAL',
        message: `aio failed while checking this file: ${errorMessage(error)}`,
        hint: 'this is a bug in aio; please report it with the file',
      },
    ]);
  }
}

export function manifestResult(file: string, manifest: Manifest | undefined, findings: Finding[]): ManifestValidation {
  const diagnostics = sortDiagnostics(findings.map((f) => ({ file, ...f })));
  return { file, manifest, valid: !hasErrors(diagnostics), diagnostics };
}

export async function validateManifestFile(file: string): Promise<ManifestValidation> {
  const read = await readUserTextFile(file);
  if (!read.ok) return manifestResult(file, undefined, [read.finding]);
  return validateManifestText(file, read.text);
}

/** Loads a manifest that must be valid (`graph show`, runs), or throws GraphInvalidError with the findings. */
export async function loadValidManifest(file: string): Promise<{ manifest: Manifest; diagnostics: Diagnostic[] }> {
  const validation = await validateManifestFile(file);
  const unreadable = validation.diagnostics.find((d) => d.code.startsWith('AIO_FILE_'));
  if (unreadable !== undefined) {
    throw new AioError(unreadable.code, unreadable.message, {
      ...(unreadable.hint === undefined ? {} : { hint: unreadable.hint }),
      exit: ExitCode.invalidInput,
    });
  }
  if (!validation.valid || validation.manifest === undefined) throw new GraphInvalidError(file, validation.diagnostics, 'DataflowGraph manifest');
  return { manifest: validation.manifest, diagnostics: validation.diagnostics };
}
