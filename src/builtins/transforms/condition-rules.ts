/**
 * A boolean rule `{inputs, expression, description?}` as filter and branch use it (spec §3.2, §3.3): read once
 * from the configuration, evaluated per message. Missing inputs and non-boolean results fail the rule.
 */
import type { BuiltinServices } from '../builtin-transform.js';
import type { ConfigReader } from '../config/config-reader.js';
import type { JsonNode, JsonString } from '../config/json-document.js';
import { ExpressionError, type CompiledExpression, type InputSpec } from '../expression/api.js';
import { describe } from '../expression/values.js';
import { DatasetMatcher, type DatasetPlan } from './datasets.js';
import type { MessageView } from './message-view.js';
import { bindInputs, inputBinding, SKIP, type InputBinding } from './rule-inputs.js';
import { ruleLabel } from './rule-failure.js';
import { aliasesOf, readExpression, readInputSpecs } from './rule-reader.js';

export interface ConditionPlan {
  label: string;
  specs: InputSpec[];
  expression: CompiledExpression;
}

/** Reads one rule object at `where` (e.g. `rules.filter[2]`); undefined after reporting its problems. */
export function readCondition(
  reader: ConfigReader,
  item: JsonNode,
  where: string,
  index: number,
  context: 'filter' | 'branch',
  datasets: readonly DatasetPlan[],
): ConditionPlan | undefined {
  const rule = reader.members('rules', item, where, { inputs: ['array', true], expression: ['string', true], description: ['string', false] });
  if (rule?.inputs === undefined || rule.expression === undefined) return undefined;
  const specs = readInputSpecs(reader, 'rules', rule.inputs, where, context, aliasesOf(datasets));
  if (specs === undefined) return undefined;
  const expression = readExpression(reader, 'rules', rule.expression as JsonString, where, context, specs.length);
  if (expression === undefined) return undefined;
  return { label: ruleLabel(index, (rule.description as JsonString | undefined)?.value), specs, expression };
}

/** The per-instance state of a node's conditions: last-known values and the dataset matcher. */
export class ConditionRunner {
  private readonly bindings: InputBinding[];
  private readonly datasets: DatasetMatcher | undefined;

  constructor(
    readonly rules: readonly ConditionPlan[],
    datasets: readonly DatasetPlan[],
    services: BuiltinServices,
  ) {
    this.bindings = rules.map((rule) => inputBinding(rule.specs, 'error'));
    this.datasets = datasets.length > 0 ? new DatasetMatcher(datasets, services) : undefined;
  }

  /** The rule's verdict, or SKIP when a dataset it reads matched no record. Throws ExpressionError. */
  evaluate(index: number, view: MessageView): boolean | typeof SKIP {
    const values = bindInputs(this.bindings[index]!, view, this.datasets);
    if (values === SKIP) return SKIP;
    const result = this.rules[index]!.expression.evaluate(values);
    if (result.type !== 'boolean') throw new ExpressionError(`the expression gave ${describe(result)}, not a boolean`);
    return result.value;
  }
}
