/**
 * The message inspector's memory: for each operation, the last items that arrived and the last it passed on,
 * each with the journey it belongs to. Only references are kept per item (a ring slot and a clock reading), so
 * watching costs the run next to nothing; views are made when someone asks. The journeys are held by the items
 * that belong to them, not by a log of their own: a log long enough to cover every kept item would keep thousands
 * of journeys alive, and the garbage collector's work on them was most of what recording cost.
 */
import type { EngineObserver } from '../../engine/graph-engine.js';
import type { Item } from '../../engine/message.js';
import type { Arm, Graph } from '../../graph/model.js';
import { Ring } from '../../util/ring.js';
import type { Journey } from '../tracer.js';

/** Items kept per operation and direction. */
export const RECENT_ITEMS = 20;

export interface SeenItem {
  /** Wall-clock milliseconds when the engine handed it over. */
  at: number;
  item: Item;
  /** The journey (tracer.ts) it is part of; still being recorded while its input is handled. */
  journey: Journey | undefined;
  /** Where an arriving item came from. */
  from?: string;
  /** The branch arm a leaving item took. */
  arm?: Arm;
}

interface Recent {
  in: Ring<SeenItem>;
  out: Ring<SeenItem>;
}

export class RecentItems implements EngineObserver {
  private readonly byOperation = new Map<string, Recent>();
  /**
   * The clock, read once per input or frontier move (everything one causes happens within the same few
   * milliseconds) and forgotten after it (`done`), so windows the frontier closes later get their own time.
   */
  private now: number | undefined;

  constructor(
    graph: Graph,
    /** The journey being recorded when an item is seen. */
    private readonly journey: () => Journey | undefined,
  ) {
    for (const op of graph.operations) this.byOperation.set(op.name, { in: new Ring(RECENT_ITEMS), out: new Ring(RECENT_ITEMS) });
  }

  /** An input entered at the source operation `source`. */
  entered(source: string, item: Item): void {
    this.byOperation.get(source)?.in.push({ at: this.clock(), item, journey: this.journey() });
  }

  /** An input, or a frontier move, is handled. */
  done(): void {
    this.now = undefined;
  }

  crossed(from: string, to: string, item: Item): void {
    this.byOperation.get(to)?.in.push({ at: this.clock(), item, journey: this.journey(), from });
  }

  emitted(operation: string, item: Item, arm: Arm | undefined): void {
    const seen: SeenItem = { at: this.clock(), item, journey: this.journey() };
    if (arm !== undefined) seen.arm = arm;
    this.byOperation.get(operation)?.out.push(seen);
  }

  dropped(): void {
    // The journey says what became of an item that arrived; nothing left.
  }

  failed(): void {
    // As for dropped.
  }

  private clock(): number {
    return (this.now ??= Date.now());
  }

  /** Oldest first; undefined for an operation the graph does not have. */
  of(operation: string): { in: SeenItem[]; out: SeenItem[] } | undefined {
    const recent = this.byOperation.get(operation);
    return recent && { in: recent.in.list(), out: recent.out.list() };
  }
}
