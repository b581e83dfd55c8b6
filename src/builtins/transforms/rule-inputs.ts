/**
 * Binding a rule's inputs for one message (spec §2.3, §2.6): the current value if the field is present (JSON
 * null counts as absent), else with `? $last` the value remembered from the last message that had it, else the `??`
 * default, else missing. A missing input binds Empty in a map (so `$1 == ()` works) and fails filter and branch
 * rules. Last-known values live in the node instance, one slot per (rule, input).
 */
import { ExpressionError, type FieldPath, type InputSpec, type Value } from '../expression/api.js';
import { EMPTY, fromJson } from '../expression/values.js';
import type { DatasetMatcher } from './datasets.js';
import { valueAt, type MessageView } from './message-view.js';

/** A rule reading `$context(alias)` whose dataset matched no record is skipped for the message. */
export const SKIP = Symbol('skip');

/** The raw JSON at a path (undefined when absent), or SKIP when its dataset has no match. */
export function readRaw(path: FieldPath, view: MessageView, datasets: DatasetMatcher | undefined): unknown {
  switch (path.kind) {
    case 'payload':
      return valueAt(view.payload, path.segments);
    case 'metadata':
      return view.metadata(path);
    case 'context': {
      const record = datasets?.match(path.alias, view);
      return record === undefined ? SKIP : valueAt(record, path.segments);
    }
    default:
      return undefined; // dataset-only paths never reach a rule (refused when the configuration is read)
  }
}

export interface InputBinding {
  specs: readonly InputSpec[];
  /** The rule's last-known values, by input index (this node instance's memory). */
  last: Array<Value | undefined>;
  /** What a missing input does: bind Empty (map) or fail the rule (filter, branch). */
  missing: 'empty' | 'error';
  /** Reused for every message when given (an evaluation never keeps the array); see inputBinding. */
  values?: Value[];
}

export function inputBinding(specs: readonly InputSpec[], missing: InputBinding['missing']): InputBinding {
  return { specs, last: [], missing, values: new Array<Value>(specs.length) };
}

/** The rule's `$1..$n` for this message, or SKIP. Throws ExpressionError for a missing input under 'error'. */
export function bindInputs(binding: InputBinding, view: MessageView, datasets: DatasetMatcher | undefined): Value[] | typeof SKIP {
  const { specs, last } = binding;
  const values = binding.values ?? new Array<Value>(specs.length);
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    const raw = readRaw(spec.path, view, datasets);
    if (raw === SKIP) return SKIP;
    if (raw !== undefined && raw !== null) {
      const value = fromJson(raw);
      if (spec.last) last[i] = value;
      values[i] = value;
    } else if (spec.last && last[i] !== undefined) values[i] = last[i]!;
    else if (spec.fallback !== undefined) values[i] = spec.fallback;
    else if (binding.missing === 'empty') values[i] = EMPTY;
    else throw new ExpressionError(`input $${i + 1} (${spec.text}) is missing from the message`);
  }
  return values;
}
