/**
 * What a changed graph file (or aio.yaml binding) asks of a running graph. If every operation, connection, module
 * and the payload schema stay, only parameters changed: the operations whose parameters changed start anew (`init`
 * with the new ones) and nothing else is touched. Anything else cannot be applied to a running graph: the run
 * restarts, and `reason` says why.
 */
import type { RunPlan } from '../../run/instantiate-run.js';
import type { Reconfiguration } from '../../run/module-swap.js';

export type PlanChange = { live: true; reconfigure: Reconfiguration[] } | { live: false; reason: string };

export function comparePlans(running: RunPlan, next: RunPlan): PlanChange {
  const reason = structuralDifference(running, next);
  if (reason !== undefined) return { live: false, reason };
  const reconfigure: Reconfiguration[] = [];
  for (const [operation, properties] of next.parameters) {
    if (JSON.stringify(running.parameters.get(operation) ?? []) !== JSON.stringify(properties)) reconfigure.push({ operation, properties });
  }
  return { live: true, reconfigure };
}

function structuralDifference(running: RunPlan, next: RunPlan): string | undefined {
  const before = new Map(running.graph.operations.map((op) => [op.name, op]));
  const after = new Map(next.graph.operations.map((op) => [op.name, op]));
  for (const name of before.keys()) if (!after.has(name)) return `operation ${name} was removed`;
  for (const [name, op] of after) {
    const was = before.get(name);
    if (!was) return `operation ${name} was added`;
    if (was.type !== op.type) return `operation ${name} is a ${op.type ?? '?'} now (was ${was.type ?? '?'})`;
    if (was.module !== op.module) return `operation ${name} runs ${op.module ?? 'no module'} now (was ${was.module ?? 'none'})`;
    if (running.modulePaths.get(name) !== next.modulePaths.get(name)) return `operation ${name} loads ${next.modulePaths.get(name) ?? 'no file'} now`;
  }
  const connections = (plan: RunPlan) =>
    plan.graph.connections
      .map((c) => `${c.from.name}${c.from.arm === undefined ? '' : `:${c.from.arm}`}→${c.to.name}`)
      .sort()
      .join(',');
  if (connections(running) !== connections(next)) return 'the connections changed';
  if (running.payloadSchema?.text !== next.payloadSchema?.text) return 'the payload schema changed';
  return undefined;
}
