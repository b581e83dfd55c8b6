import { AioError, ExitCode, errorMessage } from '../errors.js';
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic, type Finding } from '../diagnostics.js';
import { readUserTextFile } from '../files/read-user-file.js';
import { parseYaml } from '../yaml/parse-document.js';
import { buildGraphModel } from './build-model.js';
import type { Graph } from './model.js';
import { GRAPH_RULES } from './rules/index.js';
import { checkGraphSchema } from './schema-check.js';
import { fillKnownPlaceholders, graphVariables } from './placeholders.js';
import type { VariableLookup } from '../util/variables.js';

export interface GraphValidation {
  file: string;
  /** The model, present when the file parsed into a mapping (possibly with rule errors: see `valid`). */
  graph: Graph | undefined;
  /** True when there is no error (warnings and notes allowed). */
  valid: boolean;
  diagnostics: Diagnostic[];
}

/**
 * Validates graph text completely: YAML syntax, the JSON Schema, then every semantic rule. Returns all findings;
 * never throws on user input.
 */
export function validateGraphText(file: string, text: string): GraphValidation {
  try {
    return validateOrThrow(file, text);
  } catch (error) {
    // A safety net for defects in aio itself: the user still gets a verdict. The fuzz test fails on this code.
    const detail = errorMessage(error);
    return result(file, undefined, [
      {
        line: 1,
        column: 1,
        severity: 'error',
        code: 'AIO_INTERNAL',
        message: `aio failed while checking this file: ${detail}`,
        hint: 'this is a bug in aio; please report it with the file',
      },
    ]);
  }
}

function validateOrThrow(file: string, text: string): GraphValidation {
  const parsed = parseYaml(text);
  if (!parsed.ok) return result(file, undefined, parsed.findings);
  const findings: Finding[] = [...parsed.findings];
  const root = parsed.value;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    const what = Array.isArray(root) ? 'a list' : root === null ? 'empty' : `a ${typeof root}`;
    findings.push({
      line: 1,
      column: 1,
      severity: 'error',
      code: 'AIO_GRAPH_NOT_A_MAPPING',
      message: `a graph definition is a mapping with metadata, operations and connections; this document is ${what}`,
      hint: 'see `aio graph schema` for the expected shape',
    });
    return result(file, undefined, findings);
  }
  findings.push(...checkGraphSchema(parsed.source, root));
  const graph = buildGraphModel(file, parsed.source);
  for (const rule of GRAPH_RULES) findings.push(...rule.check(graph));
  return result(file, graph, findings);
}

function result(file: string, graph: Graph | undefined, findings: Finding[]): GraphValidation {
  const diagnostics = sortDiagnostics(findings.map((f) => ({ file, ...f })));
  return { file, graph, valid: !hasErrors(diagnostics), diagnostics };
}

/** Reads and validates one graph file; with `variables`, its placeholders that have a value are filled first. */
export async function validateGraphFile(file: string, variables?: VariableLookup): Promise<GraphValidation> {
  const read = await readUserTextFile(file);
  if (!read.ok) return result(file, undefined, [read.finding]);
  return validateGraphText(file, variables ? fillKnownPlaceholders(read.text, variables) : read.text);
}

/** The error thrown by commands that need a valid graph (show, emulate, push, render). */
export class GraphInvalidError extends AioError {
  readonly diagnostics: Diagnostic[];

  /** `what`: the kind of file, as the message names it (a graph definition, or a DataflowGraph manifest). */
  constructor(file: string, diagnostics: Diagnostic[], what = 'graph') {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    // The findings themselves, compiler style, as `aio graph validate` prints them: no second command needed.
    const listed = errors.map((d) => `\n  ${formatDiagnostic(d)}`).join('');
    super('AIO_GRAPH_INVALID', `${file} is not a valid ${what} (${errors.length} error${errors.length === 1 ? '' : 's'}):${listed}`, {
      hint: `fix the errors listed; \`aio graph validate ${file}\` shows the notes too`,
      exit: ExitCode.invalidInput,
      ...(first === undefined ? {} : { location: { file, line: first.line, column: first.column } }),
    });
    this.diagnostics = errors;
  }
}

/**
 * Loads a graph that must be valid, or throws GraphInvalidError carrying the findings. Placeholders with a value
 * (`graphVariables`: the environment, then `.env` beside the graph) are filled as a release fills them, so a run
 * uses the values a deployment would; the others stay as written.
 */
export async function loadValidGraph(file: string): Promise<{ graph: Graph; diagnostics: Diagnostic[] }> {
  const validation = await validateGraphFile(file, await graphVariables(file));
  const unreadable = validation.diagnostics.find((d) => d.code.startsWith('AIO_FILE_'));
  if (unreadable !== undefined) {
    // The file itself is the problem (missing, a folder, binary): say that rather than "not a valid graph".
    throw new AioError(unreadable.code, unreadable.message, {
      ...(unreadable.hint === undefined ? {} : { hint: unreadable.hint }),
      exit: ExitCode.invalidInput,
    });
  }
  if (!validation.valid || validation.graph === undefined) throw new GraphInvalidError(file, validation.diagnostics);
  return { graph: validation.graph, diagnostics: validation.diagnostics };
}
