import { readUserTextFile } from '../files/read-user-file.js';
import type { Graph } from '../graph/model.js';
import { loadValidGraph, validateGraphText, type GraphValidation } from '../graph/validate.js';
import { parseYaml } from '../yaml/parse-document.js';
import { isDataflowGraphDocument } from './envelope.js';
import type { Manifest } from './model.js';
import { loadValidManifest, manifestResult, validateParsedManifest, type ManifestValidation } from './validate-manifest.js';

/** The verdict on a file `aio graph validate` was given: a WASM graph definition or a DataflowGraph manifest. */
export type InputValidation = ({ kind: 'graph' } & GraphValidation) | ({ kind: 'manifest' } & ManifestValidation);

/**
 * Reads a file and validates it as what it is: a DataflowGraph manifest (any envelope) or a graph definition.
 * Unreadable or unparsable files are reported through the graph path, whose findings say the same for both.
 */
export async function validateInputFile(file: string): Promise<InputValidation> {
  const read = await readUserTextFile(file);
  if (!read.ok) {
    const { valid, diagnostics } = manifestResult(file, undefined, [read.finding]);
    return { kind: 'graph', file, graph: undefined, valid, diagnostics };
  }
  return validateInputText(file, read.text);
}

export function validateInputText(file: string, text: string): InputValidation {
  const parsed = parseYaml(text);
  if (parsed.ok && isDataflowGraphDocument(parsed.value)) return { kind: 'manifest', ...validateParsedManifest(file, parsed) };
  return { kind: 'graph', ...validateGraphText(file, text) };
}

/** Whether a file holds a DataflowGraph manifest; unreadable or unparsable files are not (their loader says why). */
export async function isManifestFile(file: string): Promise<boolean> {
  const read = await readUserTextFile(file);
  if (!read.ok) return false;
  const parsed = parseYaml(read.text);
  return parsed.ok && isDataflowGraphDocument(parsed.value);
}

/** Loads what `aio graph show` draws: a valid manifest or a valid graph definition; GraphInvalidError otherwise. */
export async function loadValidInput(file: string): Promise<{ kind: 'graph'; graph: Graph } | { kind: 'manifest'; manifest: Manifest }> {
  if (await isManifestFile(file)) return { kind: 'manifest', manifest: (await loadValidManifest(file)).manifest };
  return { kind: 'graph', graph: (await loadValidGraph(file)).graph };
}
