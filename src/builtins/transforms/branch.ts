/**
 * The built-in branch (`graph-dataflow-branch:1.0.0`, spec §3.3): `rules` = `{"branch": {inputs, expression,
 * description?}, "datasets"?, "version"?}`, one rule object (not an array). `true` sends the message unchanged to
 * `<node>.output.true` (arm 'True'), `false` to `output.false` (arm 'False'). A failing rule, a non-boolean result,
 * or a dataset that matched no record (the docs leave that open) drops the message with an error.
 */
import type { BuiltinCompileResult, BuiltinServices, ConfigurationEntry } from '../builtin-transform.js';
import { ConfigReader } from '../config/config-reader.js';
import type { GraphNode, NodeContext } from '../../engine/operators.js';
import { ExpressionError } from '../expression/api.js';
import { ConditionRunner, readCondition, type ConditionPlan } from './condition-rules.js';
import { readDatasets, type DatasetPlan } from './datasets.js';
import { MessageView } from './message-view.js';
import { SKIP } from './rule-inputs.js';
import { failRule, messageOf } from './rule-failure.js';

interface BranchPlan {
  rule: ConditionPlan;
  datasets: DatasetPlan[];
}

export function compileBranch(entries: readonly ConfigurationEntry[]): BuiltinCompileResult {
  const reader = new ConfigReader(entries, ['rules']);
  const plan = readBranch(reader);
  if (plan === undefined || reader.failed) return { findings: reader.findings, builtin: undefined };
  return {
    findings: reader.findings,
    builtin: {
      name: 'branch',
      version: '1.0.0',
      outputs: ['output.true', 'output.false'],
      instantiate: (context, services) => branchNode(plan, context, services),
    },
  };
}

function readBranch(reader: ConfigReader): BranchPlan | undefined {
  const root = reader.document('rules', true);
  if (root === undefined) return undefined;
  const members = reader.members('rules', root, 'rules', { branch: ['object', true], datasets: ['array', false], version: ['string', false] });
  const datasets = readDatasets(reader, 'rules', members?.datasets);
  if (members?.branch === undefined) return undefined;
  const rule = readCondition(reader, members.branch, 'rules.branch', 0, 'branch', datasets);
  return rule === undefined ? undefined : { rule, datasets };
}

function branchNode(plan: BranchPlan, context: NodeContext, services: BuiltinServices): GraphNode {
  const runner = new ConditionRunner([plan.rule], plan.datasets, services);
  const label = plan.rule.label.replace(/^rule 1/, 'branch rule');
  return {
    receive(item) {
      const message = messageOf(context, item);
      if (message === undefined) return;
      try {
        const verdict = runner.evaluate(0, new MessageView(message));
        if (verdict === SKIP) throw new ExpressionError('its dataset matched no record, so the message has no branch to take');
        context.out.emit(item, verdict ? 'True' : 'False');
      } catch (error) {
        failRule(context, item, label, error);
      }
    },
    advance: (frontier) => frontier,
  };
}
