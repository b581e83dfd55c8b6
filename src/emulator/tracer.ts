/**
 * `aio emulate --trace`: each input message's journey through the graph. The engine handles one input at a time,
 * depth first, and the frontier moves right after it (graph-engine.ts), so everything the engine reports between
 * `begin` and `end` belongs to that input: every operation it entered, with the outcome and the module's time, and
 * any window its arrival closed. Windows still open when input ends close in a journey of their own.
 */
import { FILTERED_OUT, type EngineObserver } from '../engine/graph-engine.js';
import { formatTs, type Hlc } from '../engine/hlc.js';
import type { Item } from '../engine/message.js';
import type { OperatorFailure } from '../engine/operator-failure.js';
import type { Arm, Graph } from '../graph/model.js';

export type Outcome = 'passed' | 'routed' | 'delayed' | 'folded' | 'emitted' | 'filtered' | 'dropped' | 'error' | 'sink';

/** What ends an item's path: it left the graph, or the graph kept or lost it there. */
export const TERMINAL: ReadonlySet<Outcome> = new Set(['sink', 'filtered', 'folded', 'dropped', 'error']);

export interface TraceStep {
  operation: string;
  outcome: Outcome;
  /** Branch arm taken (`routed`). */
  arm?: Arm;
  /** The window's timestamp (`folded`, `emitted`) or the new timestamp (`delayed`). */
  at?: string;
  /** Why an item was dropped, or the module's error. */
  reason?: string;
  /** Time in the module call, for module operations. */
  micros?: number;
}

export interface Journey {
  /** Numbers the run's journeys from 1, in order. */
  seq: number;
  /** The input: its file in a data-folder run, its topic in an MQTT run; WINDOWS_CLOSED for windows the clock closed. */
  input: string;
  /** The input's `__ts`. */
  ts: string | null;
  steps: TraceStep[];
  /** The terminal steps: where each path the input took ended. */
  ends: TraceStep[];
}

/** The journey of window results that no input's arrival released: input ended, or the live frontier moved on. */
export const WINDOWS_CLOSED = '(windows closed)';

export class Tracer implements EngineObserver {
  private recording: Journey | undefined;
  private lastSeq = 0;
  /** The last module call's time, until its operation's outcome is recorded (the engine reports the two in a row). */
  private pendingOperation: string | undefined;
  private pendingMicros = 0;
  private readonly typeOf: ReadonlyMap<string, string | undefined>;

  constructor(
    graph: Graph,
    /** Receives each finished journey. */
    private readonly onJourney: (journey: Journey) => void,
  ) {
    this.typeOf = new Map(graph.operations.map((op) => [op.name, op.type]));
  }

  /** An input is about to be pushed. */
  begin(input: string, item: Item): void {
    this.end();
    this.recording = { seq: ++this.lastSeq, input, ts: formatTs(item.timestamp), steps: [], ends: [] };
  }

  /** The journey being recorded now, if any. */
  get current(): Journey | undefined {
    return this.recording;
  }

  /** The input and everything it caused are handled; also call it once input has ended and the last windows closed. */
  end(): void {
    const journey = this.recording;
    if (!journey) return;
    this.recording = undefined;
    journey.ends = journey.steps.filter((step) => TERMINAL.has(step.outcome));
    this.onJourney(journey);
  }

  crossed(): void {
    // Arrival alone is no outcome: the step is recorded when the operation decides.
  }

  emitted(operation: string, item: Item, arm: Arm | undefined, note?: string): void {
    const type = this.typeOf.get(operation);
    if (arm !== undefined) this.step({ operation, outcome: 'routed', arm });
    else if (type === 'accumulate') this.step({ operation, outcome: 'emitted', at: formatTs(item.timestamp), ...(note === undefined ? {} : { reason: note }) });
    else if (type === 'delay') this.step({ operation, outcome: 'delayed', at: formatTs(item.timestamp) });
    else this.step({ operation, outcome: type === 'sink' ? 'sink' : 'passed' });
  }

  folded(operation: string, _item: Item, window: Hlc): void {
    this.step({ operation, outcome: 'folded', at: formatTs(window) });
  }

  dropped(operation: string, _item: Item, reason: string): void {
    this.step({ operation, outcome: reason === FILTERED_OUT ? 'filtered' : 'dropped', reason });
  }

  failed(operation: string, failure: OperatorFailure): void {
    this.step({ operation, outcome: 'error', reason: failure.message });
  }

  timed(operation: string, micros: number): void {
    this.pendingOperation = operation;
    this.pendingMicros = micros;
  }

  private step(step: TraceStep): void {
    if (this.pendingOperation === step.operation) {
      step.micros = Math.round(this.pendingMicros * 10) / 10;
      this.pendingOperation = undefined;
    }
    // Emits outside any input (windows closing once input ended) form a journey of their own.
    this.recording ??= { seq: ++this.lastSeq, input: WINDOWS_CLOSED, ts: null, steps: [], ends: [] };
    this.recording.steps.push(step);
  }
}
