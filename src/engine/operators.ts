/**
 * The built-in operations, one table keyed by `operationType`. Each node obeys the contract on `GraphNode`;
 * module-backed nodes call an `Operator` (in a run, an `OperatorModule`; in engine tests, plain functions).
 */
import type { Arm, OperationType } from '../graph/model.js';
import { OperatorFailure } from './operator-failure.js';
import { compareHlc, earlierOf, formatTs, type Hlc } from './hlc.js';
import { createMessage, type Item } from './message.js';

/** What a module does for an operation, whatever interface it implements. */
export interface Operator {
  map(item: Item): Item;
  filter(item: Item): boolean;
  branch(item: Item): boolean;
  accumulate(staged: Item, batch: Item[]): Item;
  delay(item: Item): Hlc;
}

/** How a node hands results to the engine, which routes, counts and logs them. */
export interface NodeOutput {
  /** Passes an item on; `arm` picks a branch's connection; `note` says why it leaves now, for traces (a built-in window: the condition that closed it). */
  emit(item: Item, arm?: Arm, note?: string): void;
  /** Removes an item on purpose; `reason` is logged when the drop is worth a line (late, rejected). */
  drop(item: Item, reason?: string): void;
  /** Counts and logs a module error or trap; the item is lost, the graph goes on. */
  fail(failure: OperatorFailure): void;
  /** Runs one module call and records its latency. */
  timed<T>(call: () => T): T;
  /** An accumulate folded the item into its window (nothing leaves until the window closes). */
  folded(item: Item, window: Hlc): void;
}

/**
 * Contract of every operation:
 * - `receive(item, input)` is called once per arriving item, in arrival order (`input` indexes the operation's
 *   incoming connections in file order). Everything a node emits while handling it goes downstream at once, so
 *   order is kept along every path.
 * - `advance(frontier)` is called after every item entering the graph, in topological order, with the earliest
 *   frontier of the node's inputs: no item earlier than it is expected any more. The node may emit what that
 *   completes and returns its own output frontier, a promise that it will emit nothing earlier.
 */
export interface GraphNode {
  receive(item: Item, input: number): void;
  advance(frontier: Hlc): Hlc;
}

export interface NodeContext {
  operation: string;
  out: NodeOutput;
  /** Present for module-backed operations. */
  operator: Operator | undefined;
  /** Source only: why an incoming payload is refused (schema validation), or undefined to admit it. */
  admit?: (item: Item) => string | undefined;
}

const FAILED = Symbol('failed');

/** Runs a module call; a module error or trap is counted on the operation and the item goes no further. */
function guarded<T>(context: NodeContext, call: (operator: Operator) => T): T | typeof FAILED {
  try {
    return context.out.timed(() => call(context.operator!));
  } catch (error) {
    if (!(error instanceof OperatorFailure)) throw error;
    context.out.fail(error);
    return FAILED;
  }
}

/** Stateless nodes pass the frontier through unchanged. */
const passFrontier = (frontier: Hlc): Hlc => frontier;

function source(context: NodeContext): GraphNode {
  return {
    receive(item) {
      const refusal = context.admit?.(item);
      if (refusal === undefined) context.out.emit(item);
      else context.out.drop(item, refusal);
    },
    advance: passFrontier,
  };
}

function map(context: NodeContext): GraphNode {
  return {
    receive(item) {
      const result = guarded(context, (op) => op.map(item));
      if (result !== FAILED) context.out.emit(result);
    },
    advance: passFrontier,
  };
}

function filter(context: NodeContext): GraphNode {
  return {
    receive(item) {
      const keep = guarded(context, (op) => op.filter(item));
      if (keep === true) context.out.emit(item);
      else if (keep === false) context.out.drop(item);
    },
    advance: passFrontier,
  };
}

function branch(context: NodeContext): GraphNode {
  return {
    receive(item) {
      const arm = guarded(context, (op) => op.branch(item));
      if (arm !== FAILED) context.out.emit(item, arm ? 'True' : 'False');
    },
    advance: passFrontier,
  };
}

/** A delay may only move an item later, so its input frontier also bounds its output. */
function delay(context: NodeContext): GraphNode {
  return {
    receive(item) {
      const timestamp = guarded(context, (op) => op.delay(item));
      if (timestamp === FAILED) return;
      if (compareHlc(timestamp, item.timestamp) < 0) {
        const detail = `delay returned ${formatTs(timestamp)}, earlier than the item's own timestamp; a delay must not go backwards`;
        context.out.fail(new OperatorFailure('error', context.operation, item.timestamp, detail));
        return;
      }
      context.out.emit({ ...item, timestamp });
    },
    advance: passFrontier,
  };
}

interface Window {
  timestamp: Hlc;
  staged: Item;
}

/**
 * Folds items that share a timestamp; a window's result leaves once the input frontier passes its timestamp.
 * An item for a window that has already closed is late: dropped and logged, never folded into a wrong window.
 */
function accumulate(context: NodeContext): GraphNode {
  const open: Window[] = []; // sorted by timestamp
  let frontier: Hlc | undefined;
  return {
    receive(item) {
      if (frontier !== undefined && compareHlc(item.timestamp, frontier) < 0) {
        context.out.drop(item, `late: the window at ${formatTs(item.timestamp)} had already closed (frontier ${formatTs(frontier)})`);
        return;
      }
      let index = open.findIndex((w) => compareHlc(w.timestamp, item.timestamp) >= 0);
      if (index === -1 || compareHlc(open[index]!.timestamp, item.timestamp) !== 0) {
        const window = { timestamp: item.timestamp, staged: createMessage({ timestamp: item.timestamp, payload: new Uint8Array() }) };
        index = index === -1 ? open.push(window) - 1 : (open.splice(index, 0, window), index);
      }
      const window = open[index]!;
      const folded = guarded(context, (op) => op.accumulate(window.staged, [item]));
      if (folded === FAILED) return;
      window.staged = folded;
      context.out.folded(item, window.timestamp);
    },
    advance(input) {
      frontier = input;
      while (open.length > 0 && compareHlc(open[0]!.timestamp, input) < 0) {
        const window = open.shift()!;
        // The result belongs to the window, whatever timestamp the module wrote into it.
        context.out.emit({ ...window.staged, timestamp: window.timestamp });
      }
      return open.length > 0 ? earlierOf(input, open[0]!.timestamp) : input;
    },
  };
}

/**
 * Merges its inputs in timestamp order: an item waits until every input's frontier has reached its timestamp,
 * so nothing earlier can still arrive. Items at equal timestamps keep their arrival order.
 */
function concatenate(context: NodeContext): GraphNode {
  const waiting: Item[] = []; // sorted by timestamp, stable
  let released: Hlc | undefined;
  return {
    receive(item) {
      if (released !== undefined && compareHlc(item.timestamp, released) < 0) {
        // Behind the frontier already (an out-of-order source item): order can no longer be kept, so do not hold it.
        context.out.emit(item);
        return;
      }
      let index = waiting.length;
      while (index > 0 && compareHlc(waiting[index - 1]!.timestamp, item.timestamp) > 0) index--;
      waiting.splice(index, 0, item);
    },
    advance(input) {
      released = input;
      let count = 0;
      while (count < waiting.length && compareHlc(waiting[count]!.timestamp, input) <= 0) count++;
      for (const item of waiting.splice(0, count)) context.out.emit(item);
      return input; // what still waits is later than the input frontier
    },
  };
}

function sink(context: NodeContext): GraphNode {
  return { receive: (item) => context.out.emit(item), advance: passFrontier };
}

export const OPERATION_NODES: Record<OperationType, (context: NodeContext) => GraphNode> = {
  source,
  map,
  filter,
  branch,
  concatenate,
  accumulate,
  delay,
  sink,
};
