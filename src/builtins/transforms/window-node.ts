/**
 * The window engine node (spec builtin-transforms.md §5). Windows are epoch-aligned tumbling duration windows:
 * a message at time t belongs to the window ending at ceil(t / D) · D, which closes once the input frontier has
 * passed that boundary. In 1.1.0, message-driven conditions (memory, count, triggers, in that fixed order; the first
 * that fires decides) may close a window earlier; the next window then starts within the same duration period, whose
 * boundary does not move (a message-driven close does not restart the timer).
 *
 * Only what the accumulate rules read is kept per window (their columns of present values) plus the trigger rules'
 * running state, so a window's memory grows with its values, not with its payloads.
 */
import type { BuiltinServices } from '../builtin-transform.js';
import { ExpressionError, type CompiledExpression, type InputSpec, type RunningState, type Value } from '../expression/api.js';
import { stringifyJson } from '../expression/json-text.js';
import { EMPTY, toJson } from '../expression/values.js';
import { AFTER_ALL, earlierOf, formatTs, hlcFromMillis, laterOf, type Hlc } from '../../engine/hlc.js';
import type { Item, Message } from '../../engine/message.js';
import type { GraphNode, NodeContext } from '../../engine/operators.js';
import { OperatorFailure } from '../../engine/operator-failure.js';
import type { BoundaryMessage, LimitCondition } from './window-conditions.js';
import { DatasetMatcher, type DatasetPlan } from './datasets.js';
import { MessageView } from './message-view.js';
import { bindInputs, SKIP, type InputBinding } from './rule-inputs.js';
import { messageOf } from './rule-failure.js';

export interface AccumulatePlan {
  /** Names the rule in messages: its `description`, else its output path. */
  label: string;
  inputCount: number;
  /** The rule's input values in this message (`inputCount` of them); undefined where the field is absent. */
  read(view: MessageView): ReadonlyArray<Value | undefined>;
  /** The output path's segments (`a.b` nests). */
  output: readonly string[];
  expression: CompiledExpression;
}

export interface TriggerPlan {
  label: string;
  /** The rule's inputs; a missing one reads as Empty (running_count counts presence). */
  inputs: readonly InputSpec[];
  trigger: CompiledExpression;
  boundary: BoundaryMessage;
}

export interface WindowPlan {
  durationMs: number;
  memory: LimitCondition | undefined;
  count: LimitCondition | undefined;
  triggers: readonly TriggerPlan[];
  /** The trigger datasets that `$context(alias)` trigger inputs read. */
  datasets: readonly DatasetPlan[];
  accumulate: readonly AccumulatePlan[];
}

interface Running extends RunningState {
  history: Value[][];
  messages: number;
}

interface OpenWindow {
  /** End of the duration period (ms since the epoch). */
  boundaryMs: number;
  messages: number;
  bytes: number;
  topic: Uint8Array;
  /** Whether a transform before the window wrote that topic (`$metadata.topic`): the output keeps it written. */
  topicWritten: boolean;
  latest: Hlc;
  /** The last message added: what a discarded window is reported with. */
  last: Item | undefined;
  /** Per accumulate rule, per input: the values present in the window's messages. */
  columns: Value[][][];
  running: Running[];
}

/** What one message contributes: the accumulate rules' values (undefined: absent) and the trigger inputs. */
interface MessageReads {
  accumulate: ReadonlyArray<ReadonlyArray<Value | undefined>>;
  triggers: ReadonlyArray<Value[] | undefined>;
}

/** Why a window closed; part of the log line when its output fails. */
type CloseReason = 'duration' | 'memory' | 'count' | 'trigger' | 'end of input';

const encoder = new TextEncoder();

/** An HLC as exact milliseconds (fractional when the nanoseconds are); ±Infinity for the frontier sentinels. */
const exactMs = (hlc: Hlc): number => hlc.secs * 1000 + hlc.nanos / 1_000_000;

export function windowNode(plan: WindowPlan, context: NodeContext, services: BuiltinServices): GraphNode {
  const { durationMs } = plan;
  const readingB = services.options.windowLimitReading === 'B';
  const open: OpenWindow[] = []; // sorted by boundary; normally one
  let frontierMs = -Infinity;
  let announced: Hlc | undefined; // the last output frontier returned: nothing may be emitted earlier
  // Last-known values live in this node instance, one slot per (trigger rule, input), lost when the run ends.
  const bindings: InputBinding[] = plan.triggers.map((rule) => ({ specs: rule.inputs, last: [], missing: 'empty' }));
  const datasets = plan.datasets.length > 0 ? new DatasetMatcher(plan.datasets, services) : undefined;

  const fail = (timestamp: Hlc | undefined, detail: string): void => context.out.fail(new OperatorFailure('rule', context.operation, timestamp, detail));

  function newWindow(boundaryMs: number): OpenWindow {
    return {
      boundaryMs,
      messages: 0,
      bytes: 0,
      topic: new Uint8Array(),
      topicWritten: false,
      latest: hlcFromMillis(0),
      last: undefined,
      columns: plan.accumulate.map((rule) => Array.from({ length: rule.inputCount }, () => [])),
      running: plan.triggers.map((rule) => ({ history: rule.inputs.map(() => []), messages: 0 })),
    };
  }

  /** The open window of that period, opened (in boundary order) when there is none. */
  function windowFor(boundaryMs: number): OpenWindow {
    const index = open.findIndex((w) => w.boundaryMs >= boundaryMs);
    if (index !== -1 && open[index]!.boundaryMs === boundaryMs) return open[index]!;
    const window = newWindow(boundaryMs);
    open.splice(index === -1 ? open.length : index, 0, window);
    return window;
  }

  function add(window: OpenWindow, message: Message, reads: MessageReads): void {
    window.messages++;
    window.bytes += message.payload.length;
    window.topic = message.topic;
    window.topicWritten = message.topicWritten === true;
    window.latest = laterOf(window.latest, message.timestamp);
    window.last = message;
    reads.accumulate.forEach((values, r) => {
      values.forEach((value, i) => {
        if (value !== undefined) window.columns[r]![i]!.push(value);
      });
    });
    reads.triggers.forEach((values, r) => {
      const running = window.running[r]!;
      running.history.forEach((column, i) => column.push(values?.[i] ?? EMPTY));
      running.messages++;
    });
    context.out.folded(message, hlcFromMillis(window.boundaryMs));
  }

  function close(window: OpenWindow, timestamp: Hlc, reason: CloseReason): void {
    open.splice(open.indexOf(window), 1);
    const output: Record<string, unknown> = {};
    for (const [r, rule] of plan.accumulate.entries()) {
      try {
        setPath(output, rule.output, toJson(rule.expression.aggregate(window.columns[r]!)));
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        fail(timestamp, `window output dropped (closed by ${reason}, ${window.messages} messages): rule "${rule.label}": ${error.message}`);
        return;
      }
    }
    const emitAt = announced === undefined ? timestamp : laterOf(timestamp, announced);
    context.out.emit(
      {
        kind: 'message',
        timestamp: emitAt,
        topic: window.topic,
        contentType: 'application/json',
        payload: encoder.encode(stringifyJson(output)),
        userProperties: [],
        ...(window.topicWritten ? { topicWritten: true } : {}),
      },
      undefined,
      `closed by ${reason} (${window.messages} messages)`,
    );
  }

  /** Which message-driven condition fires for this message, if any (memory, count, triggers in list order). */
  function firing(
    window: OpenWindow,
    message: Message,
    triggerInputs: ReadonlyArray<Value[] | undefined>,
  ): { reason: CloseReason; boundary: BoundaryMessage } | undefined {
    const { memory, count } = plan;
    // Reading A: the message that makes the limit reached is the boundary. Reading B (messageInNext only): the
    // window is full already, so the next message is the boundary and every window holds the whole limit.
    if (memory !== undefined) {
      const full = readingB && memory.boundary === 'messageInNext' ? window.bytes >= memory.limit : window.bytes + message.payload.length >= memory.limit;
      if (full) return { reason: 'memory', boundary: memory.boundary };
    }
    if (count !== undefined) {
      const full = readingB && count.boundary === 'messageInNext' ? window.messages >= count.limit : window.messages + 1 >= count.limit;
      if (full) return { reason: 'count', boundary: count.boundary };
    }
    for (const [r, rule] of plan.triggers.entries()) {
      const inputs = triggerInputs[r];
      if (inputs === undefined) continue;
      let result: Value;
      try {
        result = rule.trigger.evaluate(inputs, window.running[r]!);
      } catch (error) {
        throw error instanceof ExpressionError ? new ExpressionError(`${rule.label}: ${error.message}`) : error;
      }
      if (result.type !== 'boolean') throw new ExpressionError(`${rule.label}: the trigger gave ${result.type}, not a boolean`);
      if (result.value) return { reason: 'trigger', boundary: rule.boundary };
    }
    return undefined;
  }

  function receive(item: Item): void {
    const message = messageOf(context, item);
    if (message === undefined) return;
    const boundaryMs = Math.ceil(exactMs(message.timestamp) / durationMs) * durationMs;
    if (frontierMs > boundaryMs) {
      context.out.drop(message, `late: the window ending at ${formatTs(hlcFromMillis(boundaryMs))} had already closed`);
      return;
    }
    const view = new MessageView(message);
    const existing = open.find((w) => w.boundaryMs === boundaryMs);
    let reads: MessageReads;
    let fired: ReturnType<typeof firing>;
    try {
      // Everything is read before the window changes, so a failing message leaves it as it was.
      reads = {
        accumulate: plan.accumulate.map((rule) => rule.read(view)),
        // A trigger whose dataset matched no record is skipped (undefined): it does not fire for this message.
        triggers: bindings.map((binding) => {
          const values = bindInputs(binding, view, datasets);
          return values === SKIP ? undefined : values;
        }),
      };
      fired = firing(existing ?? newWindow(boundaryMs), message, reads.triggers);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      // The message is dropped and the window's state stays as it was (spec §5.3 recommendation).
      fail(message.timestamp, `message dropped: ${error.message}`);
      return;
    }
    if (fired === undefined) {
      add(existing ?? windowFor(boundaryMs), message, reads);
    } else if (fired.boundary === 'messageInCurrent') {
      const window = existing ?? windowFor(boundaryMs);
      add(window, message, reads);
      close(window, window.latest, fired.reason);
    } else {
      // messageInNext: an empty window is not emitted; the message simply opens it.
      if (existing !== undefined && existing.messages > 0) close(existing, laterOf(existing.latest, message.timestamp), fired.reason);
      add(windowFor(boundaryMs), message, reads);
    }
  }

  function finish(): Hlc {
    for (const window of [...open]) {
      if (services.options.flushWindowsAtEnd) {
        close(window, hlcFromMillis(window.boundaryMs), 'end of input');
      } else {
        open.splice(open.indexOf(window), 1);
        const reason = `window ending at ${formatTs(hlcFromMillis(window.boundaryMs))} discarded at end of input with ${window.messages} messages, as the cluster loses open windows (--flush-windows emits them)`;
        context.out.drop(window.last!, reason);
      }
    }
    return AFTER_ALL;
  }

  return {
    receive,
    advance(input) {
      frontierMs = Math.max(frontierMs, exactMs(input));
      if (exactMs(input) === Infinity) return (announced = finish());
      while (open.length > 0 && open[0]!.boundaryMs < frontierMs) {
        const window = open[0]!;
        close(window, hlcFromMillis(window.boundaryMs), 'duration');
      }
      const output = open.length > 0 ? earlierOf(input, hlcFromMillis(open[0]!.boundaryMs)) : input;
      announced = announced === undefined ? output : laterOf(announced, output);
      return announced;
    },
  };
}

/** Writes `value` at a dotted output path, creating the objects on the way (`stats.avg` → `{stats: {avg}}`). */
function setPath(target: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let object = target;
  for (const segment of segments.slice(0, -1)) {
    const next = object[segment];
    object = (typeof next === 'object' && next !== null ? next : (object[segment] = {})) as Record<string, unknown>;
  }
  object[segments.at(-1)!] = value;
}
