/** How map, filter and branch name a rule in messages and hand a failed message to the engine (spec §1.10). */
import { OperatorFailure } from '../../engine/operator-failure.js';
import type { NodeContext } from '../../engine/operators.js';
import type { Item, Message } from '../../engine/message.js';
import { ExpressionError } from '../expression/api.js';

/** `rule 2 (Convert Celsius to Fahrenheit)`: 1-based, with the description the docs say error messages include. */
export function ruleLabel(index: number, description: string | undefined): string {
  return description === undefined ? `rule ${index + 1}` : `rule ${index + 1} (${description})`;
}

/** A rule failed on this message: it is dropped, counted and logged. Anything but an ExpressionError is a bug. */
export function failRule(context: NodeContext, item: Item, label: string, error: unknown): void {
  if (!(error instanceof ExpressionError)) throw error;
  context.out.fail(new OperatorFailure('rule', context.operation, item.timestamp, `${label}: ${error.message}`));
}

/** Built-ins read MQTT messages; raw bytes or camera snapshots fail. */
export function messageOf(context: NodeContext, item: Item): Message | undefined {
  if (item.kind === 'message') return item;
  context.out.fail(
    new OperatorFailure(
      'rule',
      context.operation,
      item.timestamp,
      `a built-in transform reads messages, got ${item.kind === 'bytes' ? 'raw bytes' : 'a snapshot'}`,
    ),
  );
  return undefined;
}
