/**
 * Enrichment datasets (spec §2.5): `{key: "<state-store key> [as <alias>]", inputs: ["$source.x", "$context.y"],
 * expression}`. Per message and alias, the records stored under the key (NDJSON, one object per line) are tried in
 * order and the first whose expression is `true` is the match that `$context(alias).…` reads. The parsed records
 * are cached per key and reused while the stored text is unchanged (the cluster refreshes on change notifications).
 * Choices where the docs are silent: an absent key and an unparsable line match nothing (the line is skipped); a
 * match expression that fails or is not boolean on a record counts as `false` for that record; an unreachable
 * state store fails the message.
 */
import type { BuiltinServices } from '../builtin-transform.js';
import type { ConfigReader } from '../config/config-reader.js';
import type { JsonNode, JsonString } from '../config/json-document.js';
import { ExpressionError, type CompiledExpression, type PathSegment, type Value } from '../expression/api.js';
import { parseJsonText } from '../expression/json-text.js';
import { EMPTY, fromJson } from '../expression/values.js';
import { isJsonObject, valueAt, type MessageView } from './message-view.js';
import { readExpression, readInputSpecs } from './rule-reader.js';

export interface DatasetPlan {
  alias: string;
  stateKey: string;
  inputs: Array<{ side: 'source' | 'record'; segments: PathSegment[] }>;
  expression: CompiledExpression;
}

type JsonRecord = Record<string, unknown>;

/** Reads `datasets` (an array node); reports problems and returns the usable plans. */
export function readDatasets(reader: ConfigReader, key: string, node: JsonNode | undefined): DatasetPlan[] {
  if (node === undefined || node.kind !== 'array') return [];
  const plans: DatasetPlan[] = [];
  node.items.forEach((item, i) => {
    const where = `datasets[${i}]`;
    const members = reader.members(key, item, where, { key: ['string', true], inputs: ['array', true], expression: ['string', true] });
    const keyNode = members?.key as JsonString | undefined;
    if (members === undefined || keyNode === undefined) return;
    const named = /^(.*?)\s+as\s+(.*)$/.exec(keyNode.value);
    const stateKey = (named ? named[1]! : keyNode.value).trim();
    const alias = (named ? named[2]! : keyNode.value).trim();
    if (stateKey === '' || alias === '') {
      reader.error(
        key,
        keyNode.offset,
        'AIO_BUILTIN_DATASET_KEY',
        `${where}.key must be "<state-store key>" or "<state-store key> as <alias>"`,
        'e.g. "device-metadata as device"',
      );
      return;
    }
    if (plans.some((plan) => plan.alias === alias)) {
      reader.error(
        key,
        keyNode.offset,
        'AIO_BUILTIN_DATASET_KEY',
        `two datasets use the alias ${alias}`,
        'give each dataset its own alias with "<key> as <alias>"',
      );
      return;
    }
    const specs = members.inputs === undefined ? undefined : readInputSpecs(reader, key, members.inputs, where, 'dataset', []);
    const text = members.expression as JsonString | undefined;
    if (specs === undefined || text === undefined) return;
    const expression = readExpression(reader, key, text, where, 'dataset', specs.length);
    if (expression === undefined) return;
    const inputs = specs.map((spec) => ({
      side: spec.path.kind === 'dataset-source' ? ('source' as const) : ('record' as const),
      segments: (spec.path as { segments: PathSegment[] }).segments,
    }));
    plans.push({ alias, stateKey, inputs, expression });
  });
  return plans;
}

/** One node instance's view of the state store: matches per message, parsed records cached per key text. */
export class DatasetMatcher {
  private readonly cache = new Map<string, { text: string; records: JsonRecord[] }>();
  private readonly byAlias: Map<string, DatasetPlan>;

  constructor(
    plans: readonly DatasetPlan[],
    private readonly services: BuiltinServices,
  ) {
    this.byAlias = new Map(plans.map((plan) => [plan.alias, plan]));
  }

  /** The matched record for `alias`, or undefined when no record matches (rules reading it are skipped). */
  match(alias: string, view: MessageView): JsonRecord | undefined {
    let found = view.contexts.get(alias);
    if (found === undefined) {
      found = this.find(this.byAlias.get(alias)!, view) ?? null;
      view.contexts.set(alias, found);
    }
    return found ?? undefined;
  }

  private find(plan: DatasetPlan, view: MessageView): JsonRecord | undefined {
    const records = this.records(plan.stateKey);
    if (records.length === 0) return undefined;
    // The message's side of the match is the same for every record: read it once.
    const values: Value[] = plan.inputs.map((input) => (input.side === 'source' ? read(view.payload, input.segments) : EMPTY));
    for (const record of records) {
      plan.inputs.forEach((input, i) => {
        if (input.side === 'record') values[i] = read(record, input.segments);
      });
      try {
        const result = plan.expression.evaluate(values);
        if (result.type === 'boolean' && result.value) return record;
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
      }
    }
    return undefined;
  }

  private records(stateKey: string): JsonRecord[] {
    let text: string | undefined;
    try {
      text = this.services.stateStoreGet(stateKey);
    } catch (error) {
      throw new ExpressionError(`the state store cannot be read for dataset key ${stateKey}: ${(error as Error).message}`);
    }
    if (text === undefined) return [];
    const cached = this.cache.get(stateKey);
    if (cached?.text === text) return cached.records;
    const records = parseNdjson(text);
    this.cache.set(stateKey, { text, records });
    return records;
  }
}

function read(root: unknown, segments: readonly PathSegment[]): Value {
  const raw = valueAt(root, segments);
  return raw === undefined ? EMPTY : fromJson(raw);
}

/** One JSON object per line; blank lines, lines that are not JSON and non-object lines are skipped. */
function parseNdjson(text: string): JsonRecord[] {
  const records: JsonRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = parseJsonText(line);
      if (isJsonObject(record)) records.push(record);
    } catch {
      // An unparsable line matches nothing, as the cluster can only skip it too.
    }
  }
  return records;
}
