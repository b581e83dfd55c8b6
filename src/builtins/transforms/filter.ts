/**
 * The built-in filter (`graph-dataflow-filter:1.0.0`, spec §3.2): `rules` = `{"filter": [rule…], "datasets"?,
 * "validateSchema"?, "version"?}`. A rule that is `true` drops the message (rules are ORed, the first true one
 * decides); when every rule is false the message passes unchanged. With `validateSchema` the payload is first
 * checked against the schema on the incoming connection. A rule whose dataset matched no record counts as false.
 */
import type { BuiltinCompileResult, BuiltinServices, ConfigurationEntry } from '../builtin-transform.js';
import { ConfigReader } from '../config/config-reader.js';
import type { GraphNode, NodeContext } from '../../engine/operators.js';
import { ExpressionError } from '../expression/api.js';
import { ConditionRunner, readCondition, type ConditionPlan } from './condition-rules.js';
import { readDatasets, type DatasetPlan } from './datasets.js';
import { MessageView } from './message-view.js';
import { failRule, messageOf } from './rule-failure.js';

interface FilterPlan {
  rules: ConditionPlan[];
  datasets: DatasetPlan[];
  validateSchema: boolean;
}

export function compileFilter(entries: readonly ConfigurationEntry[]): BuiltinCompileResult {
  const reader = new ConfigReader(entries, ['rules']);
  const plan = readFilter(reader);
  if (plan === undefined || reader.failed) return { findings: reader.findings, builtin: undefined };
  return {
    findings: reader.findings,
    builtin: {
      name: 'filter',
      version: '1.0.0',
      outputs: [],
      validatesSchema: plan.validateSchema,
      instantiate: (context, services) => filterNode(plan, context, services),
    },
  };
}

function readFilter(reader: ConfigReader): FilterPlan | undefined {
  const root = reader.document('rules', true);
  if (root === undefined) return undefined;
  const members = reader.members('rules', root, 'rules', {
    filter: ['array', true],
    datasets: ['array', false],
    validateSchema: ['boolean', false],
    version: ['string', false],
  });
  const datasets = readDatasets(reader, 'rules', members?.datasets);
  const list = members?.filter;
  if (list?.kind !== 'array') return undefined;
  const rules: ConditionPlan[] = [];
  list.items.forEach((item, index) => {
    const rule = readCondition(reader, item, `rules.filter[${index}]`, index, 'filter', datasets);
    if (rule !== undefined) rules.push(rule);
  });
  const validate = members?.validateSchema;
  return { rules, datasets, validateSchema: validate?.kind === 'boolean' && validate.value };
}

function filterNode(plan: FilterPlan, context: NodeContext, services: BuiltinServices): GraphNode {
  const runner = new ConditionRunner(plan.rules, plan.datasets, services);
  return {
    receive(item) {
      const message = messageOf(context, item);
      if (message === undefined) return;
      const view = new MessageView(message);
      if (plan.validateSchema) {
        try {
          const reason = validate(view, services);
          if (reason !== undefined) {
            context.out.drop(item, `validateSchema: the payload does not match the schema: ${reason}`);
            return;
          }
        } catch (error) {
          failRule(context, item, 'validateSchema', error);
          return;
        }
      }
      for (let r = 0; r < plan.rules.length; r++) {
        let verdict: boolean | symbol;
        try {
          verdict = runner.evaluate(r, view);
        } catch (error) {
          failRule(context, item, plan.rules[r]!.label, error);
          return;
        }
        if (verdict === true) {
          context.out.drop(item, `filter ${plan.rules[r]!.label} is true`);
          return;
        }
      }
      context.out.emit(item);
    },
    advance: (frontier) => frontier,
  };
}

function validate(view: MessageView, services: BuiltinServices): string | undefined {
  if (services.validateSchema === undefined) {
    throw new ExpressionError('validateSchema is true but the incoming connection names no schema (from.schema.schemaRef)');
  }
  return services.validateSchema(view.payload);
}
