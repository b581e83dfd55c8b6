/**
 * The built-in map (`graph-dataflow-map:1.0.0`, spec §3.1): `rules` = `{"map": [rule…], "datasets"?, "version"?}`,
 * each rule `{inputs, output, expression?, description?}`. Reads and checks the configuration once, with every
 * finding at its character; the per-message work is in map-node.ts.
 */
import type { BuiltinCompileResult, ConfigurationEntry } from '../builtin-transform.js';
import { ConfigReader } from '../config/config-reader.js';
import type { JsonNode, JsonString } from '../config/json-document.js';
import type { CompiledExpression, FieldPath, InputSpec, PathSegment } from '../expression/api.js';
import { parseFieldPath } from '../expression/paths.js';
import { readDatasets, type DatasetPlan } from './datasets.js';
import type { ExcludedPaths } from './json-tree.js';
import { mapNode } from './map-node.js';
import { wildcardPattern, type WildcardPattern } from './map-wildcards.js';
import { ruleLabel } from './rule-failure.js';
import { aliasesOf, readExpression, readInputSpecs } from './rule-reader.js';

export type MapOutput =
  | { kind: 'remove' }
  | { kind: 'payload'; segments: string[] }
  | { kind: 'payload-wildcard'; pattern: WildcardPattern }
  | { kind: 'metadata'; field: 'topic' | 'user_property' | 'header'; key: string | undefined };

/** Where a wildcard rule's first input enumerates: the payload or a matched dataset record. */
export type WildcardSource = { kind: 'payload' } | { kind: 'context'; alias: string };

export interface MapRulePlan {
  label: string;
  specs: InputSpec[];
  expression: CompiledExpression | undefined;
  output: MapOutput;
  /** Present when the first input holds a `*`: the patterns of every input (undefined for plain inputs). */
  wildcard: { source: WildcardSource; patterns: Array<WildcardPattern | undefined> } | undefined;
  /** The inputs' identities for removal and the `move` reading (plain rules; wildcard rules compute them per match). */
  inputKeys: string[];
  /** `*` → `*` over the payload with one input and no expression: the whole payload is copied at once. */
  passthrough: boolean;
  /** A removal applied while the passthrough copies (its paths are left out of the copy): nothing to do per rule. */
  folded: boolean;
}

export interface MapPlan {
  rules: MapRulePlan[];
  datasets: DatasetPlan[];
  /** Whether any rule removes fields at run time: only then are written paths tracked per message (under `copy`). */
  removes: boolean;
  /** Payload paths the first rule's passthrough leaves out, because a later removal rule deletes them anyway. */
  excluded: ExcludedPaths | undefined;
}

const RULE_SHAPE = { inputs: ['array', true], output: ['string', true], expression: ['string', false], description: ['string', false] } as const;

export function compileMap(entries: readonly ConfigurationEntry[]): BuiltinCompileResult {
  const reader = new ConfigReader(entries, ['rules']);
  const plan = readMap(reader);
  if (plan === undefined || reader.failed) return { findings: reader.findings, builtin: undefined };
  return {
    findings: reader.findings,
    builtin: { name: 'map', version: '1.0.0', outputs: [], instantiate: (context, services) => mapNode(plan, context, services) },
  };
}

function readMap(reader: ConfigReader): MapPlan | undefined {
  const root = reader.document('rules', true);
  if (root === undefined) return undefined;
  const members = reader.members('rules', root, 'rules', { map: ['array', true], datasets: ['array', false], version: ['string', false] });
  const datasets = readDatasets(reader, 'rules', members?.datasets);
  const list = members?.map;
  if (list?.kind !== 'array') return undefined;
  const aliases = aliasesOf(datasets);
  const rules: MapRulePlan[] = [];
  let wildcardRules = 0;
  list.items.forEach((item, index) => {
    const where = `rules.map[${index}]`;
    const rule = reader.members('rules', item, where, RULE_SHAPE);
    if (rule === undefined || rule.inputs === undefined || rule.output === undefined) return;
    const specs = readInputSpecs(reader, 'rules', rule.inputs, where, 'map', aliases);
    const output = readOutput(reader, rule.output as JsonString, where, rule.expression);
    if (specs === undefined || output === undefined) return;
    const wildcard = checkWildcards(reader, specs, output, rule.inputs, rule.output as JsonString, where, index);
    if (wildcard === false) return;
    if (wildcard !== undefined && ++wildcardRules === 2) {
      reader.warning(
        'rules',
        item.offset,
        'AIO_BUILTIN_MAP_SEVERAL_WILDCARDS',
        `${where} is a second wildcard rule: the map how-to allows one wildcard rule per map`,
        'the cluster may reject it; the expressions reference uses several (the emulator runs them)',
      );
    }
    const text = rule.expression as JsonString | undefined;
    let expression: CompiledExpression | undefined;
    if (text !== undefined && output.kind !== 'remove') {
      expression = readExpression(reader, 'rules', text, where, 'map', specs.length);
      if (expression === undefined) return;
    } else if (output.kind !== 'remove' && specs.length === 0) {
      reader.error(
        'rules',
        rule.inputs.offset,
        'AIO_BUILTIN_MAP_NO_VALUE',
        `${where} has no inputs and no expression, so it has nothing to write`,
        'add an input to copy, or an expression such as "true"',
      );
      return;
    }
    const description = (rule.description as JsonString | undefined)?.value;
    const passthrough = isPassthrough(specs, output) && specs.length === 1 && expression === undefined;
    const inputKeys = specs.map((spec) => pathKey(spec.path));
    rules.push({ label: ruleLabel(index, description), specs, expression, output, wildcard, inputKeys, passthrough, folded: false });
  });
  const excluded = foldRemovals(rules);
  return { rules, datasets, removes: rules.some((rule) => rule.output.kind === 'remove' && !rule.folded), excluded };
}

/**
 * After a `*` → `*` passthrough, a removal of plain payload fields deletes exactly those fields from the copy,
 * unless a rule in between writes at, above or below one of them (or is a wildcard rule, whose writes a removal
 * may also delete). Such removals are done by leaving the fields out of the copy: the same result, without
 * deleting members per message (which also turns V8 objects slow).
 */
function foldRemovals(rules: MapRulePlan[]): ExcludedPaths | undefined {
  if (!rules[0]?.passthrough) return undefined;
  let excluded: ExcludedPaths | undefined;
  rules.forEach((rule, index) => {
    if (rule.output.kind !== 'remove' || rule.wildcard !== undefined || !rule.specs.every((spec) => spec.path.kind === 'payload')) return;
    const paths = rule.specs.map((spec) => (spec.path as { segments: PathSegment[] }).segments.map((s) => (s as { name: string }).name));
    const between = rules.slice(1, index);
    const clash = between.some(
      (other) =>
        other.output.kind === 'payload-wildcard' ||
        (other.output.kind === 'payload' && paths.some((path) => related(path, (other.output as { segments: string[] }).segments))),
    );
    if (clash) return;
    rule.folded = true;
    excluded ??= new Map();
    for (const path of paths) exclude(excluded, path);
  });
  return excluded;
}

/** One path equals or lies below the other. */
function related(a: readonly string[], b: readonly string[]): boolean {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function exclude(tree: ExcludedPaths, path: readonly string[]): void {
  let node = tree;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node.get(path[i]!);
    if (next === true) return; // an ancestor is already left out
    node = next ?? (node.set(path[i]!, new Map()).get(path[i]!) as ExcludedPaths);
  }
  node.set(path[path.length - 1]!, true);
}

function readOutput(reader: ConfigReader, text: JsonString, where: string, expression: JsonNode | undefined): MapOutput | undefined {
  if (text.value === '') {
    if (expression !== undefined) {
      reader.error(
        'rules',
        expression.offset,
        'AIO_BUILTIN_MAP_REMOVAL_EXPRESSION',
        `${where} removes fields (its output is ""), so it takes no expression`,
        'drop the expression, or name an output to write the result to',
      );
      return undefined;
    }
    return { kind: 'remove' };
  }
  const parsed = parseFieldPath(text.value, { wildcards: true });
  if (!parsed.ok) {
    reader.problems('rules', text, `${where}.output`, parsed.problems);
    return undefined;
  }
  const path = parsed.path;
  if (path.kind === 'payload') {
    const pattern = wildcardPattern(path.segments);
    return pattern ? { kind: 'payload-wildcard', pattern } : { kind: 'payload', segments: path.segments.map((s) => (s as { name: string }).name) };
  }
  if (path.kind === 'metadata' && path.field !== 'content_type') return { kind: 'metadata', field: path.field, key: path.key };
  const why =
    path.kind === 'metadata'
      ? '$metadata.system_property.content_type can be read, not written'
      : `${text.value} cannot be written: outputs are payload fields or $metadata.topic / user_property / header`;
  reader.error('rules', text.sourceOffset(0), 'AIO_BUILTIN_MAP_OUTPUT', `${where}.output: ${why}`);
  return undefined;
}

/**
 * The wildcard rules of §3.1.1: the first input holds the `*` if any input does, the output holds one exactly
 * when an input does (removal rules excepted), wildcard inputs take no modifiers, and a `*`→`*` passthrough is the
 * first rule. Returns the rule's wildcard plan, undefined for a plain rule, false after reporting a problem.
 */
function checkWildcards(
  reader: ConfigReader,
  specs: InputSpec[],
  output: MapOutput,
  inputs: JsonNode,
  outputText: JsonString,
  where: string,
  index: number,
): MapRulePlan['wildcard'] | false {
  const patterns = specs.map((spec) => (spec.path.kind === 'payload' || spec.path.kind === 'context' ? wildcardPattern(spec.path.segments) : undefined));
  const items = inputs.kind === 'array' ? inputs.items : [];
  const fail = (node: JsonNode, message: string, hint: string, code = 'AIO_BUILTIN_MAP_WILDCARD'): false => {
    reader.error('rules', node.kind === 'string' ? node.sourceOffset(0) : node.offset, code, `${where}: ${message}`, hint);
    return false;
  };
  const first = patterns[0];
  const anyInput = patterns.some((pattern) => pattern !== undefined);
  if (anyInput && first === undefined)
    return fail(
      items[patterns.findIndex((p) => p !== undefined)]!,
      "only the first input may hold the `*`: its matches decide the rule's instances",
      'move the wildcard input to the front of `inputs`',
    );
  const modified = specs.findIndex((spec, i) => patterns[i] !== undefined && (spec.last || spec.fallback !== undefined));
  if (modified !== -1) return fail(items[modified]!, 'a wildcard input takes no `? $last` or `??` modifier', 'name the field to give it a default');
  if (output.kind === 'payload-wildcard' && !anyInput)
    return fail(outputText, 'the output holds a `*` but no input does', 'add the `*` to the first input (e.g. "Sensors.*") or name the output');
  if (anyInput && output.kind !== 'payload-wildcard' && output.kind !== 'remove')
    return fail(
      outputText,
      'the inputs hold a `*` but the output does not, so every match would write the same field',
      'put a `*` in the output, e.g. "Telemetry.*"',
    );
  if (first === undefined) return undefined;
  if (isPassthrough(specs, output) && index > 0) {
    return fail(
      items[0]!,
      'the `*` → `*` passthrough must be the first rule: later rules patch what it copies',
      'move this rule to the top of `map`',
      'AIO_BUILTIN_MAP_PASSTHROUGH_NOT_FIRST',
    );
  }
  const path = specs[0]!.path;
  const source: WildcardSource = path.kind === 'context' ? { kind: 'context', alias: path.alias } : { kind: 'payload' };
  return { source, patterns };
}

/** A `*` → `*` rule over the payload: its first input is `*`, its output `*`. */
function isPassthrough(specs: readonly InputSpec[], output: MapOutput): boolean {
  const path = specs[0]?.path;
  const bare = (pattern: WildcardPattern | undefined): boolean => pattern !== undefined && pattern.prefix.length === 0 && pattern.suffix.length === 0;
  return path?.kind === 'payload' && bare(wildcardPattern(path.segments)) && output.kind === 'payload-wildcard' && bare(output.pattern);
}

/** A path's identity for "these inputs are a subset of those" (removal, the `move` reading). */
export function pathKey(path: FieldPath): string {
  switch (path.kind) {
    case 'payload':
      return `p\u0000${path.segments.map((s) => (s.kind === 'name' ? s.name : '*')).join('\u0000')}`;
    case 'context':
      return `c\u0000${path.alias}\u0000${path.segments.map((s) => (s.kind === 'name' ? s.name : '*')).join('\u0000')}`;
    case 'metadata':
      return `m\u0000${path.field}\u0000${path.key ?? ''}`;
    default:
      return `d\u0000${path.segments.map((s) => (s.kind === 'name' ? s.name : '*')).join('\u0000')}`;
  }
}

/** The key of a concrete (resolved) payload or context path. */
export function concreteKey(source: WildcardSource, names: readonly string[]): string {
  return source.kind === 'payload' ? `p\u0000${names.join('\u0000')}` : `c\u0000${source.alias}\u0000${names.join('\u0000')}`;
}
