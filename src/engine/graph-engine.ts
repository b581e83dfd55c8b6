/**
 * Runs a graph model: items enter at the sources, are pushed depth-first through the operations (so order holds
 * along every path and one item is in flight at a time: a slow module slows the source, nothing queues up
 * unbounded), and after each item the time frontier moves through the graph in topological order, closing
 * windows and releasing merged items.
 */
import { adjacency, operationKind, type Arm, type Graph } from '../graph/model.js';
import { topicMatches } from '../util/topic-filter.js';
import { topologicalOrder } from '../graph/topology.js';
import type { RunLog } from './run-log.js';
import type { OperatorFailure } from './operator-failure.js';
import { AFTER_ALL, BEFORE_ALL, earlierOf, formatTs, laterOf, type Hlc } from './hlc.js';
import type { Item } from './message.js';
import { OperationStats } from './operation-stats.js';
import { OPERATION_NODES, type GraphNode, type NodeContext, type NodeOutput, type Operator } from './operators.js';

/** Sees what happens to items inside the graph; `aio test` uses it for taps, expected drops and errors. */
export interface EngineObserver {
  /** An item went along the connection `from` → `to`. */
  crossed(from: string, to: string, item: Item): void;
  /** An operation removed an item on purpose: filtered out, late for its window, refused by the payload schema. */
  dropped(operation: string, item: Item, reason: string): void;
  /** A module returned an error or trapped on an item. */
  failed(operation: string, failure: OperatorFailure): void;
  /** The operation passed an item on (`arm`: which arm of a branch); a sink's emit is the item leaving the graph. */
  emitted?(operation: string, item: Item, arm: Arm | undefined, note?: string): void;
  /** An accumulate folded the item into its window at `window`. */
  folded?(operation: string, item: Item, window: Hlc): void;
  /** The operation's module call took `micros`; reported before the call's outcome. */
  timed?(operation: string, micros: number): void;
}

/** Why a filter's drop carries no reason of its own: the module said false. */
export const FILTERED_OUT = 'filtered out';

export interface EngineOptions {
  graph: Graph;
  /** The module behind every module-backed operation, by operation name. */
  operators: ReadonlyMap<string, Operator>;
  /** Receives every item that reaches a sink operation. */
  sink: (item: Item, sinkOperation: string) => void;
  log: RunLog;
  /** Why the source refuses an item (payload schema), or undefined to admit it. */
  admit?: (item: Item) => string | undefined;
  observer?: EngineObserver;
  /**
   * Nodes made natively rather than from the operation table, by operation name: a pipeline's built-in transforms
   * and destinations (run/native-nodes.ts). The engine knows nothing of what they do, only the GraphNode contract.
   */
  nodes?: ReadonlyMap<string, (context: NodeContext) => GraphNode>;
}

interface Route {
  target: number;
  input: number;
  arm: Arm | undefined;
}

interface Slot {
  name: string;
  node: GraphNode;
  stats: OperationStats;
  routes: Route[];
  /** Indexes of the slots feeding this one, per input. */
  upstream: number[];
  frontier: Hlc;
  isSource: boolean;
  isSink: boolean;
  /** A pipeline source's topic filters: it takes only the items whose topic one of them matches. */
  filters: string[] | undefined;
}

export class GraphEngine {
  /** Per operation, in the graph file's order. */
  readonly stats: OperationStats[] = [];
  private readonly slots: Slot[] = [];
  private sourceFrontier: Hlc = BEFORE_ALL;
  private finished = false;
  /** Some source takes only some topics (a pipeline's Source nodes). */
  private readonly filtered: boolean;

  constructor(private readonly options: EngineOptions) {
    const { graph } = options;
    const { incoming, outgoing } = adjacency(graph);
    const order = topologicalOrder(graph);
    const indexOf = new Map(order.map((op, i) => [op.name, i]));
    for (const op of graph.operations) this.stats.push(new OperationStats(op.name, operationKind(op)));
    const statsOf = new Map(this.stats.map((s) => [s.operation, s]));
    for (const op of order) {
      const slot: Slot = {
        name: op.name,
        stats: statsOf.get(op.name)!,
        routes: (outgoing.get(op.name) ?? []).map((c) => ({
          target: indexOf.get(c.to.name)!,
          input: incoming.get(c.to.name)!.indexOf(c),
          arm: c.from.arm,
        })),
        upstream: (incoming.get(op.name) ?? []).map((c) => indexOf.get(c.from.name)!),
        frontier: BEFORE_ALL,
        isSource: op.type === 'source',
        isSink: op.type === 'sink',
        filters: op.native?.kind === 'source' ? op.native.filters : undefined,
        node: undefined as unknown as GraphNode,
      };
      const context: NodeContext = { operation: op.name, operator: options.operators.get(op.name), out: this.outputFor(slot), admit: options.admit };
      const native = options.nodes?.get(op.name);
      slot.node = native ? native(context) : OPERATION_NODES[op.type!](context);
      this.slots.push(slot);
    }
    this.filtered = this.slots.some((slot) => slot.filters !== undefined);
  }

  /** One item enters every source; returns once it and everything it completed has been handled. */
  push(item: Item): void {
    if (this.finished) throw new Error('GraphEngine.push after finish');
    // Decoded once per item, and only for a pipeline, whose sources each take only their topics.
    const topic = this.filtered && item.kind === 'message' ? topicText.decode(item.topic) : undefined;
    let taken = false;
    for (const slot of this.slots) {
      if (!slot.isSource || (slot.filters !== undefined && (topic === undefined || !slot.filters.some((f) => topicMatches(f, topic))))) continue;
      taken = true;
      slot.stats.in++;
      slot.node.receive(item, 0);
    }
    if (!taken) this.refuse(item, topic ?? '');
    this.advance(item.timestamp);
  }

  /** Moves the sources' frontier to at least `time`: nothing earlier is expected any more. */
  advance(time: Hlc): void {
    this.sourceFrontier = laterOf(this.sourceFrontier, time);
    for (const slot of this.slots) {
      const input = slot.isSource ? this.sourceFrontier : slot.upstream.reduce((f, i) => earlierOf(f, this.slots[i]!.frontier), AFTER_ALL);
      slot.frontier = slot.node.advance(input);
    }
  }

  /** Input has ended: every window closes and everything held is released. */
  finish(): void {
    this.advance(AFTER_ALL);
    this.finished = true;
  }

  /** No pipeline source takes the item's topic: said once per item, on the first source, and the item goes nowhere. */
  private refuse(item: Item, topic: string): void {
    const first = this.slots.find((slot) => slot.isSource);
    if (first === undefined) return;
    const reason = `topic "${topic}" matches no Source node's dataSources`;
    this.options.observer?.dropped(first.name, item, reason);
    this.options.log.write({
      level: 'warn',
      operation: first.name,
      context: 'host',
      message: `dropped item ${formatTs(item.timestamp)}: ${reason}`,
      time: new Date(),
    });
  }

  private outputFor(slot: Slot): NodeOutput {
    const { log, sink, observer } = this.options;
    return {
      emit: (item, arm, note) => {
        slot.stats.out++;
        observer?.emitted?.(slot.name, item, arm, note);
        if (slot.isSink) {
          sink(item, slot.name);
          return;
        }
        for (const route of slot.routes) {
          if (route.arm !== arm) continue;
          const target = this.slots[route.target]!;
          target.stats.in++;
          observer?.crossed(slot.name, target.name, item);
          target.node.receive(item, route.input);
        }
      },
      drop: (item, reason) => {
        slot.stats.dropped++;
        observer?.dropped(slot.name, item, reason ?? FILTERED_OUT);
        if (reason !== undefined) {
          log.write({ level: 'warn', operation: slot.name, context: 'host', message: `dropped item ${formatTs(item.timestamp)}: ${reason}`, time: new Date() });
        }
      },
      fail: (failure: OperatorFailure) => {
        slot.stats.errors++;
        observer?.failed(slot.name, failure);
        log.write({ level: 'error', operation: slot.name, context: 'host', message: failure.message, time: new Date() });
      },
      folded: (item, window) => observer?.folded?.(slot.name, item, window),
      timed: (call) => {
        const started = performance.now();
        try {
          return call();
        } finally {
          const micros = (performance.now() - started) * 1000;
          slot.stats.latency.record(micros);
          observer?.timed?.(slot.name, micros);
        }
      },
    };
  }
}

const topicText = new TextDecoder();
