/**
 * What a run records about itself besides its counts: each input's journey (`--trace`, to a file) and, for the
 * dashboard (`--ui`), each operation's last items with their journeys in memory, answered on request. It sits
 * where the engine runs (the graph worker's thread, or the main thread), so the drivers feed inputs through
 * `input` and the dashboard's questions reach it as `InspectionQuery` values.
 */
import type { EngineObserver, GraphEngine } from '../../engine/graph-engine.js';
import type { Item } from '../../engine/message.js';
import type { Graph } from '../../graph/model.js';
import type { StateStore } from '../../wasm/host/state-store.js';
import type { AioError } from '../../errors.js';
import { LineFile } from '../../files/line-file.js';
import { Tracer, type Journey } from '../tracer.js';
import { itemView, type ItemView } from './item-view.js';
import { observeAll } from './observe-all.js';
import { RecentItems, type SeenItem } from './recent-items.js';
import { Stepper, terminalConsole, type StepConsole } from '../debug/stepper.js';
import type { PreparedRun } from '../../run/instantiate-run.js';

/** State-store keys shown at most. */
export const STATE_KEYS_SHOWN = 1000;

export interface ObservationOptions {
  /**
   * Write each journey to this file as a JSON line; `append` for live runs, afresh for data-folder runs.
   * `onFailure` hears at once when it cannot be written (a live run ends on it).
   */
  traceFile?: { path: string; append: boolean; onFailure?: (failure: AioError) => void } | undefined;
  /** Keep each operation's last items, with their journeys, in memory and answer the dashboard's questions (`--ui`). */
  inspect?: { stateStore: StateStore } | undefined;
  /** `--step`: stop before each item enters an operation, on this console. */
  step?: StepConsole | undefined;
}

export type InspectionQuery = { what: 'operation'; name: string } | { what: 'state-store' };

export interface SeenItemView {
  at: string;
  from?: string;
  arm?: string;
  item: ItemView;
  /** What became of the input it belongs to. */
  journey?: Journey;
}

export type InspectionAnswer =
  | { what: 'operation'; name: string; found: boolean; in: SeenItemView[]; out: SeenItemView[] }
  | { what: 'state-store'; keys: number; entries: Array<{ key: string; value: string }> };

export class RunObservation {
  readonly observer: EngineObserver;
  private readonly tracer: Tracer;
  private readonly sources: string[];
  private readonly recent: RecentItems | undefined;
  private readonly file: LineFile | undefined;

  /** Undefined when there is nothing to record: the run then goes without an observer. */
  static create(graph: Graph, options: ObservationOptions): RunObservation | undefined {
    if (options.traceFile === undefined && options.inspect === undefined && options.step === undefined) return undefined;
    return new RunObservation(graph, options);
  }

  private constructor(
    graph: Graph,
    private readonly options: ObservationOptions,
  ) {
    this.file = options.traceFile && new LineFile(options.traceFile.path, 'the trace', options.traceFile.append, options.traceFile.onFailure);
    this.tracer = new Tracer(graph, (journey) => this.file?.write(`${JSON.stringify(journey)}\n`));
    this.sources = graph.operations.filter((op) => op.type === 'source').map((op) => op.name);
    // The tracer first: an item's journey must exist by the time the recent items note which one it is.
    this.recent = options.inspect && new RecentItems(graph, () => this.tracer.current);
    const stepper = options.step && new Stepper(options.step, new Map(graph.operations.map((op) => [op.name, op.type])));
    const observers = ([this.tracer, this.recent, stepper] as Array<EngineObserver | undefined>).filter((o): o is EngineObserver => o !== undefined);
    this.observer = observers.length === 1 ? this.tracer : observeAll(...observers);
  }

  /** Pushes one input into `engine` as the journey named `name` (its data file, or its MQTT topic). */
  input(engine: GraphEngine, name: string, item: Item): void {
    this.tracer.begin(name, item);
    for (const source of this.sources) this.recent?.entered(source, item);
    engine.push(item);
    this.tracer.end();
    this.recent?.done();
  }

  /** After the frontier moved or input ended: the windows that closed form a journey of their own. */
  settle(): void {
    this.tracer.end();
    this.recent?.done();
  }

  answer(query: InspectionQuery): InspectionAnswer {
    if (query.what === 'state-store') {
      const all = Object.entries(this.options.inspect?.stateStore.snapshot() ?? {});
      const entries = all.slice(0, STATE_KEYS_SHOWN).map(([key, value]) => ({ key, value }));
      return { what: 'state-store', keys: all.length, entries };
    }
    const seen = this.recent?.of(query.name);
    const view = (s: SeenItem): SeenItemView => ({
      at: new Date(s.at).toISOString(),
      ...(s.from === undefined ? {} : { from: s.from }),
      ...(s.arm === undefined ? {} : { arm: s.arm }),
      item: itemView(s.item),
      ...(s.journey ? { journey: s.journey } : {}),
    });
    // Newest first: the inspector shows the latest on top.
    return {
      what: 'operation',
      name: query.name,
      found: seen !== undefined,
      in: (seen?.in ?? []).reverse().map(view),
      out: (seen?.out ?? []).reverse().map(view),
    };
  }

  /** The trace file's write error (a full disk), if any: the run ends with it. */
  get failure(): AioError | undefined {
    return this.file?.failure;
  }

  /** Flushes the trace file; throws its write error, if any. */
  async close(): Promise<void> {
    this.tracer.end();
    await this.file?.close();
  }
}

/** A live run's observation: `--trace-file` appended to, the dashboard's memory (`--ui`), `--step` on the terminal. */
export function observeLiveRun(
  prepared: PreparedRun,
  options: {
    traceFile?: string | undefined;
    inspect?: boolean | undefined;
    step?: boolean | undefined;
    /** The trace file could not be written: the run should end with this error. */
    onWriteFailure?: (failure: AioError) => void;
  },
): RunObservation | undefined {
  return RunObservation.create(prepared.graph, {
    traceFile:
      options.traceFile === undefined
        ? undefined
        : { path: options.traceFile, append: true, ...(options.onWriteFailure ? { onFailure: options.onWriteFailure } : {}) },
    inspect: options.inspect ? { stateStore: prepared.services.stateStore } : undefined,
    step: options.step ? terminalConsole() : undefined,
  });
}

/** Feeds an input to the engine, through the observation when the run has one. */
export function feed(engine: GraphEngine, observation: RunObservation | undefined, name: string, item: Item): void {
  if (observation) observation.input(engine, name, item);
  else engine.push(item);
}

/** The answer to `query`, also from a run that keeps nothing for the dashboard (then: nothing seen). */
export function answer(observation: RunObservation | undefined, query: InspectionQuery): InspectionAnswer {
  if (observation) return observation.answer(query);
  return query.what === 'state-store' ? { what: 'state-store', keys: 0, entries: [] } : { what: 'operation', name: query.name, found: false, in: [], out: [] };
}
