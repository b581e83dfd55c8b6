/**
 * The built-in window, `graph-dataflow-window:1.0.0` and `:1.1.0` (spec builtin-transforms.md §3.5, §4.5–§4.7, §5):
 * reads and checks the configuration once, compiles every accumulate and trigger rule, and hands the node
 * (window-node.ts) a plan. 1.0.0 closes by duration only; 1.1.0 adds count, memory and trigger conditions, with a
 * 60 s duration armed even when `delay` is not configured.
 */
import type { BuiltinCompileResult, ConfigurationEntry } from '../builtin-transform.js';
import type { FieldPath, InputSpec, Value } from '../expression/api.js';
import { compileExpression } from '../expression/compile.js';
import { parseInputSpec } from '../expression/input-spec.js';
import { parseFieldPath } from '../expression/paths.js';
import type { JsonNode, JsonString } from '../config/json-document.js';
import { ConfigReader } from '../config/config-reader.js';
import { DEFAULT_DURATION_MS, readBoundary, readCondition, readDelay, readLimit } from './window-conditions.js';
import { windowNode, type AccumulatePlan, type TriggerPlan, type WindowPlan } from './window-node.js';
import { readDatasets, type DatasetPlan } from './datasets.js';
import { valueAt } from './message-view.js';
import { aliasesOf, readExpression, readInputSpecs } from './rule-reader.js';
import { fromJson } from '../expression/values.js';

export type WindowVersion = '1.0.0' | '1.1.0';

const ONLY_1_1_0 = ['count', 'memory', 'triggers'] as const;

export function compileWindow(version: WindowVersion, entries: readonly ConfigurationEntry[]): BuiltinCompileResult {
  const reader = new ConfigReader(entries, ['delay', ...ONLY_1_1_0, 'rules']);
  const plan = version === '1.0.0' ? readVersion100(reader) : readVersion110(reader);
  const accumulate = readAccumulate(reader);
  if (plan === undefined || accumulate === undefined || reader.failed) return { findings: reader.findings, builtin: undefined };
  const complete: WindowPlan = { ...plan, accumulate };
  return {
    findings: reader.findings,
    builtin: { name: 'window', version, outputs: [], instantiate: (context, services) => windowNode(complete, context, services) },
  };
}

type ConditionPlan = Omit<WindowPlan, 'accumulate'>;

function readVersion100(reader: ConfigReader): ConditionPlan | undefined {
  for (const key of ONLY_1_1_0) {
    if (reader.has(key)) {
      reader.error(
        key,
        undefined,
        'AIO_BUILTIN_WINDOW_REQUIRES_1_1_0',
        `\`${key}\` windows need graph-dataflow-window:1.1.0; version 1.0.0 closes windows by duration only`,
        'set the artifact to azureiotoperations/graph-dataflow-window:1.1.0',
      );
    }
  }
  if (!reader.has('delay')) reader.document('delay', true); // reports the missing key
  const durationMs = readDelay(reader);
  return durationMs === undefined ? undefined : { durationMs, memory: undefined, count: undefined, triggers: [], datasets: [] };
}

function readVersion110(reader: ConfigReader): ConditionPlan | undefined {
  if (!['delay', ...ONLY_1_1_0].some((key) => reader.has(key))) {
    reader.error(
      undefined,
      undefined,
      'AIO_BUILTIN_WINDOW_NO_CONDITION',
      'the window names no closing condition',
      'configure at least one of delay, count, memory and triggers (a 60 s duration closes windows in any case)',
    );
    return undefined;
  }
  const delay = readDelay(reader);
  const count = readLimit(reader, 'count');
  const memory = readLimit(reader, 'memory');
  const triggers = readTriggers(reader);
  if (reader.failed || triggers === undefined) return undefined;
  return { durationMs: delay ?? DEFAULT_DURATION_MS, count, memory, ...triggers };
}

/** `triggers` (1.1.0): its rules in list order, and the datasets their `$context(alias)` inputs read. */
function readTriggers(reader: ConfigReader): { triggers: TriggerPlan[]; datasets: DatasetPlan[] } | undefined {
  const node = reader.document('triggers', false);
  if (node === undefined) return { triggers: [], datasets: [] };
  const members = readCondition(reader, 'triggers', node, 'expression', { rules: ['array', true], datasets: ['array', false] });
  const datasets = readDatasets(reader, 'triggers', members?.datasets);
  if (members?.rules?.kind !== 'array') return undefined;
  const triggers: TriggerPlan[] = [];
  members.rules.items.forEach((item, i) => {
    const where = `triggers.rules[${i}]`;
    const rule = reader.members('triggers', item, where, { inputs: ['array', true], trigger: ['string', true], boundaryMessage: ['string', true] });
    // Trigger inputs may use what filter inputs may (§4.7): metadata, `? $last`, `??`, `$context(alias)`, no wildcard.
    const specs = rule?.inputs === undefined ? undefined : readInputSpecs(reader, 'triggers', rule.inputs, where, 'filter', aliasesOf(datasets));
    const boundary = readBoundary(reader, 'triggers', rule?.boundaryMessage, where);
    const text = rule?.trigger as JsonString | undefined;
    if (specs === undefined || boundary === undefined || text === undefined) return;
    const compiled = compileExpression(text.value, { context: 'trigger', inputCount: specs.length });
    reader.problems('triggers', text, `${where}.trigger`, compiled.ok ? compiled.warnings : compiled.problems);
    if (compiled.ok) triggers.push({ label: `${where}: ${text.value}`, inputs: specs, trigger: compiled.expression, boundary });
  });
  return { triggers, datasets };
}

function readAccumulate(reader: ConfigReader): AccumulatePlan[] | undefined {
  const node = reader.document('rules', true);
  if (node === undefined) return undefined;
  const list = reader.members('rules', node, 'rules', { accumulate: ['array', true] })?.accumulate;
  if (list?.kind !== 'array') return undefined;
  if (list.items.length === 0) {
    reader.error(
      'rules',
      list.offset,
      'AIO_BUILTIN_WINDOW_NO_RULES',
      'the window has no accumulate rules, so its output would be empty',
      'add a rule such as {"inputs": ["temperature"], "output": "avg", "expression": "average($1)"}',
    );
  }
  const plans: AccumulatePlan[] = [];
  const outputs: Array<{ segments: string[]; where: string }> = [];
  list.items.forEach((item, i) => {
    const where = `rules.accumulate[${i}]`;
    const rule = reader.members('rules', item, where, {
      inputs: ['array', true],
      output: ['string', true],
      expression: ['string', true],
      description: ['string', false],
    });
    if (rule === undefined) return;
    const specs = rule.inputs === undefined ? undefined : readInputs(reader, rule.inputs, where);
    const output = rule.output === undefined ? undefined : readOutput(reader, rule.output as JsonString, where, outputs);
    const text = rule.expression as JsonString | undefined;
    if (specs === undefined || output === undefined || text === undefined) return;
    const expression = readExpression(reader, 'rules', text, where, 'accumulate', specs.length);
    if (expression === undefined) return;
    const paths = specs.map((spec) => (spec.path.kind === 'payload' ? spec.path.segments : []));
    const description = rule.description as JsonString | undefined;
    plans.push({
      label: description?.value ?? output.join('.'),
      inputCount: paths.length,
      read: (view) => paths.map((path) => present(valueAt(view.payload, path))),
      output,
      expression,
    });
  });
  return plans;
}

/** Parses an accumulate rule's `inputs`: plain payload fields only (§3.5). Undefined when any input is unusable. */
function readInputs(reader: ConfigReader, node: JsonNode, where: string): InputSpec[] | undefined {
  if (node.kind !== 'array') return undefined;
  const specs: InputSpec[] = [];
  let usable = true;
  node.items.forEach((item, i) => {
    const at = `${where}.inputs[${i}]`;
    if (!reader.expect('rules', item, 'string', at)) return (usable = false);
    const text = item as JsonString;
    const parsed = parseInputSpec(text.value, { wildcards: false });
    if (!parsed.ok) {
      reader.problems('rules', text, at, parsed.problems);
      return (usable = false);
    }
    const why = notAccumulable(parsed.spec);
    if (why !== undefined) {
      reader.error('rules', text.offset, 'AIO_BUILTIN_WINDOW_INPUT', `${at}: ${why}`, 'accumulate inputs are plain payload fields, e.g. "temperature"');
      return (usable = false);
    }
    specs.push(parsed.spec);
  });
  return usable ? specs : undefined;
}

function notAccumulable(spec: InputSpec): string | undefined {
  const kind: FieldPath['kind'] = spec.path.kind;
  if (kind === 'dataset-source' || kind === 'dataset-record') return `${spec.text} belongs in a dataset's inputs`;
  if (kind === 'metadata') return 'accumulate rules cannot read $metadata';
  if (kind === 'context') return 'accumulate rules cannot read $context (datasets)';
  if (spec.last) return 'accumulate rules cannot use `? $last`';
  if (spec.fallback !== undefined) return 'accumulate rules cannot use `??` defaults';
  return undefined;
}

/** The output path's segments; reports a bad, metadata or clashing (equal or nested) output. */
function readOutput(reader: ConfigReader, text: JsonString, where: string, taken: Array<{ segments: string[]; where: string }>): string[] | undefined {
  const parsed = parseFieldPath(text.value, { wildcards: false });
  if (!parsed.ok) {
    reader.problems('rules', text, `${where}.output`, parsed.problems);
    return undefined;
  }
  if (parsed.path.kind !== 'payload') {
    reader.error(
      'rules',
      text.offset,
      'AIO_BUILTIN_OUTPUT_PATH',
      `${where}.output must be a payload field; a window writes only its output payload`,
      'write e.g. "avgTemperature" or "stats.avg"',
    );
    return undefined;
  }
  const segments = parsed.path.segments.map((s) => (s.kind === 'name' ? s.name : '*'));
  const clash = taken.find((t) => isPrefix(t.segments, segments) || isPrefix(segments, t.segments));
  if (clash !== undefined) {
    const same = clash.segments.length === segments.length;
    reader.error(
      'rules',
      text.offset,
      'AIO_BUILTIN_DUPLICATE_OUTPUT',
      `${where}.output "${text.value}" ${same ? 'is also written by' : 'overlaps the output of'} ${clash.where}`,
      'give every accumulate rule its own output field',
    );
    return undefined;
  }
  taken.push({ segments, where });
  return segments;
}

const isPrefix = (a: readonly string[], b: readonly string[]): boolean => a.length <= b.length && a.every((s, i) => s === b[i]);

/** A field counts in a window when present and not null (spec §2.3 recommendation: null behaves as missing). */
const present = (raw: unknown): Value | undefined => (raw === undefined || raw === null ? undefined : fromJson(raw));
