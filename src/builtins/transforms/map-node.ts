/**
 * The map node: per message, the rules run in order over the parsed payload and write a new payload (spec §3.1.5,
 * copy-then-patch). Each rule instance (one per wildcard match) writes its value at its output path; a later
 * write to the same path replaces the earlier one. A removal rule (output "") deletes what earlier instances of a
 * higher rank wrote from inputs it names. Under `mapOverlap: 'move'` (input-based specialization) every instance
 * also deletes what earlier higher-rank instances wrote from a subset of its inputs, whatever their output.
 * Metadata outputs change the message's topic and user properties; a rule failure drops the whole message.
 */
import type { BuiltinServices } from '../builtin-transform.js';
import type { GraphNode, NodeContext } from '../../engine/operators.js';
import type { Item, Message } from '../../engine/message.js';
import { ExpressionError, type Value } from '../expression/api.js';
import { holdsFloatBox, stringifyJson } from '../expression/json-text.js';
import { EMPTY, fromJson, strFrom, toJson } from '../expression/values.js';
import { DatasetMatcher } from './datasets.js';
import { copyExcluding, copyJson, deleteAt, writeAt } from './json-tree.js';
import { concreteKey, type MapOutput, type MapPlan, type MapRulePlan } from './map.js';
import { matchesOf, substitute } from './map-wildcards.js';
import { isJsonObject, MessageView, rememberPayload, valueAtNames } from './message-view.js';
import { bindInputs, inputBinding, readRaw, SKIP, type InputBinding } from './rule-inputs.js';
import { failRule, messageOf } from './rule-failure.js';

const encoder = new TextEncoder();

/** What one instance wrote, for removal rules and the `move` reading. */
interface Written {
  rank: number;
  inputs: readonly string[];
  segments: readonly string[];
}

/** The output being built for one message. */
interface Draft {
  message: Message;
  payload: Record<string, unknown>;
  /** Output path key → what wrote it; undefined when nothing needs it. */
  written: Map<string, Written> | undefined;
  topic: string | undefined;
  userProperties: Array<[string, string]> | undefined;
  /** The payload a `*` → `*` passthrough copied: each of its leaves counts as written (rank = depth) without an entry. */
  passthrough: unknown;
  /** Whether the payload may hold JsonFloat boxes (written Floats, or copies of payload floats such as `23.0`). */
  floats: boolean;
}

export function mapNode(plan: MapPlan, context: NodeContext, services: BuiltinServices): GraphNode {
  const move = services.options.mapOverlap === 'move';
  const track = move || plan.removes;
  const datasets = plan.datasets.length > 0 ? new DatasetMatcher(plan.datasets, services) : undefined;
  const bindings: InputBinding[] = plan.rules.map((rule) => inputBinding(rule.specs, 'empty'));

  /** Deletes earlier higher-rank writes whose inputs all lie in `inputs` (an input covers the fields below it). */
  const supersede = (draft: Draft, inputs: readonly string[], rank: number): void => {
    const written = draft.written!;
    for (const [key, entry] of written) {
      if (entry.rank > rank && entry.inputs.every((input) => covered(input, inputs))) {
        deleteAt(draft.payload, entry.segments);
        written.delete(key);
      }
    }
    if (draft.passthrough === undefined) return;
    // The passthrough wrote each leaf L from input L at rank depth(L), unless a later write took its place.
    for (const input of inputs) {
      if (!input.startsWith(PAYLOAD_KEY)) continue;
      const names = input.slice(PAYLOAD_KEY.length).split('\u0000');
      const found = valueAtNames(draft.passthrough, names);
      if (found === undefined) continue;
      const leaves = isLeaf(found) ? [names] : matchesOf(draft.passthrough, { prefix: names, suffix: [] }).map((match) => [...names, ...match.capture]);
      for (const leaf of leaves) if (leaf.length > rank && !written.has(leaf.join('\u0000'))) deleteAt(draft.payload, leaf);
    }
  };

  const writeInstance = (
    draft: Draft,
    output: MapOutput,
    segments: readonly string[] | undefined,
    value: Value | { raw: unknown },
    inputs: readonly string[],
    rank: number,
  ): void => {
    if (output.kind === 'remove') {
      supersede(draft, inputs, rank);
      return;
    }
    if (move) supersede(draft, inputs, rank);
    if (output.kind === 'metadata') {
      writeMetadata(draft, output, 'raw' in value ? fromRaw(value.raw) : value);
      return;
    }
    // An Empty result writes nothing; a wildcard copy keeps a JSON null as it is. Objects are copied, never shared.
    const json = 'raw' in value ? copyJson(value.raw) : value.type === 'empty' ? undefined : value.type === 'json' ? copyJson(value.value) : toJson(value);
    if (json === undefined) return;
    if (typeof json === 'object' && json !== null && !draft.floats) draft.floats = holdsFloatBox(json);
    writeAt(draft.payload, segments!, json);
    if (track) draft.written!.set(segments!.join('\u0000'), { rank, inputs, segments: segments! });
  };

  const runPlain = (draft: Draft, rule: MapRulePlan, binding: InputBinding, view: MessageView): void => {
    if (rule.folded) return;
    if (rule.output.kind === 'remove') {
      supersede(draft, rule.inputKeys, 0);
      return;
    }
    const values = bindInputs(binding, view, datasets);
    if (values === SKIP) return;
    const value = rule.expression ? rule.expression.evaluate(values) : (values[0] ?? EMPTY);
    const segments = rule.output.kind === 'payload' ? rule.output.segments : undefined;
    writeInstance(draft, rule.output, segments, value, rule.inputKeys, 0);
  };

  const runWildcard = (draft: Draft, rule: MapRulePlan, view: MessageView): void => {
    const { source, patterns } = rule.wildcard!;
    const root = source.kind === 'payload' ? view.payload : datasets!.match(source.alias, view);
    if (root === undefined) return; // no dataset record matched: the rule is skipped
    if (rule.passthrough && isJsonObject(root)) {
      // The first rule (a payload passthrough must be first) copies every leaf to its own path: a copy of the payload.
      draft.payload = plan.excluded ? copyExcluding(root, plan.excluded) : (copyJson(root) as Record<string, unknown>);
      draft.passthrough = root;
      draft.floats ||= view.payloadFloats;
      return;
    }
    const plainValues = rule.specs.map((spec, i) => (patterns[i] === undefined ? readRaw(spec.path, view, datasets) : undefined));
    if (plainValues.includes(SKIP)) return;
    for (const match of matchesOf(root, patterns[0]!)) {
      const raws: unknown[] = [match.value];
      const keys: string[] = [concreteKey(source, substitute(patterns[0]!, match.capture))];
      let complete = true;
      for (let i = 1; i < rule.specs.length && complete; i++) {
        const pattern = patterns[i];
        if (pattern === undefined) {
          raws.push(plainValues[i]);
          keys.push(rule.inputKeys[i]!);
          continue;
        }
        const path = rule.specs[i]!.path;
        const names = substitute(pattern, match.capture);
        const otherSource = path.kind === 'context' ? { kind: 'context' as const, alias: path.alias } : { kind: 'payload' as const };
        const otherRoot = otherSource.kind === 'payload' ? view.payload : datasets!.match(otherSource.alias, view);
        const raw = otherRoot === undefined ? undefined : valueAtNames(otherRoot, names);
        // A match whose other inputs do not exist is skipped (EXPR "Multi-input wildcards").
        if (raw === undefined) complete = false;
        raws.push(raw);
        keys.push(concreteKey(otherSource, names));
      }
      if (!complete) continue;
      const output = rule.output;
      const segments = output.kind === 'payload-wildcard' ? substitute(output.pattern, match.capture) : undefined;
      const value = rule.expression
        ? rule.expression.evaluate(raws.map((raw, i) => (raw === undefined || raw === null ? (rule.specs[i]!.fallback ?? EMPTY) : fromJson(raw))))
        : { raw: raws[0] };
      writeInstance(draft, output, segments, value, keys, match.capture.length);
    }
  };

  return {
    receive(item: Item) {
      const message = messageOf(context, item);
      if (message === undefined) return;
      const view = new MessageView(message);
      const draft: Draft = {
        message,
        payload: {},
        written: track ? new Map() : undefined,
        topic: undefined,
        userProperties: undefined,
        passthrough: undefined,
        floats: false,
      };
      for (let r = 0; r < plan.rules.length; r++) {
        const rule = plan.rules[r]!;
        try {
          if (rule.wildcard) runWildcard(draft, rule, view);
          else runPlain(draft, rule, bindings[r]!, view);
        } catch (error) {
          failRule(context, item, rule.label, error);
          return;
        }
      }
      context.out.emit(outputMessage(message, draft));
    },
    advance: (frontier) => frontier,
  };
}

function outputMessage(message: Message, draft: Draft): Message {
  const payload = encoder.encode(stringifyJson(draft.payload, draft.floats));
  const out: Message = { ...message, payload };
  rememberPayload(payload, draft.payload, draft.floats);
  if (draft.topic !== undefined) {
    out.topic = encoder.encode(draft.topic);
    out.topicWritten = true;
  }
  if (draft.userProperties !== undefined) out.userProperties = draft.userProperties;
  return out;
}

const PAYLOAD_KEY = 'p\u0000';

/** Whether the input key `key` is one of `inputs` or lies below one of them. */
function covered(key: string, inputs: readonly string[]): boolean {
  for (const input of inputs) if (key === input || (key.startsWith(input) && key.charCodeAt(input.length) === 0)) return true;
  return false;
}

/** A leaf as the passthrough sees it: present, and not an object with members. */
function isLeaf(value: unknown): boolean {
  return value !== undefined && !(isJsonObject(value) && Object.keys(value).length > 0);
}

/** A copied JSON value as a metadata value (objects cannot be metadata). */
function fromRaw(raw: unknown): Value {
  return raw === undefined || raw === null ? EMPTY : fromJson(raw);
}

/**
 * `$metadata.topic` takes the value's text and marks the topic written; a user property (or Kafka header, the same
 * list here) replaces the first entry with its key or is appended; Empty removes every entry with that key and
 * leaves the topic as it was.
 */
function writeMetadata(draft: Draft, output: Extract<MapOutput, { kind: 'metadata' }>, value: Value): void {
  if (value.type === 'json') throw new ExpressionError('a JSON object cannot be written to $metadata');
  if (output.field === 'topic') {
    if (value.type !== 'empty') draft.topic = strFrom(value);
    return;
  }
  const key = output.key!;
  const properties = (draft.userProperties ??= draft.message.userProperties.map(([name, text]): [string, string] => [name, text]));
  if (value.type === 'empty') {
    draft.userProperties = properties.filter(([name]) => name !== key);
    return;
  }
  const text = strFrom(value);
  const at = properties.findIndex(([name]) => name === key);
  if (at === -1) properties.push([key, text]);
  else properties[at] = [key, text];
}
