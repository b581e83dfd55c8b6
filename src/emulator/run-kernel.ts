/**
 * The one way a prepared run is driven, whatever feeds it and wherever its output goes. Input adapters (a data
 * folder, an MQTT subscription, a test case's messages) call `input`, `advance` and `finish`; the output adapter
 * (an output file, a publisher, a test collector) is the `output` function, told which sink or pipeline
 * destination each item left by. So a graph or a DataflowGraph pipeline runs the same way in `aio emulate --data`,
 * on a broker, on the graph worker's thread and in both `aio test` formats.
 */
import type { EngineObserver, GraphEngine } from '../engine/graph-engine.js';
import { hlcFromMillis } from '../engine/hlc.js';
import type { Item } from '../engine/message.js';
import { createEngine, type PreparedRun } from '../run/instantiate-run.js';
import { observeAll } from './inspection/observe-all.js';
import { feed, type RunObservation } from './inspection/run-observation.js';

export interface RunKernelOptions {
  /** Receives each item leaving the graph, with the sink operation or pipeline destination it left by. */
  output: (item: Item, sink: string) => void;
  /** What the run records about itself (`--trace`, `--ui`, `--step`), when anything. */
  observation?: RunObservation | undefined;
  /** Another observer of the engine (`aio test`'s taps, drops and errors). */
  observer?: EngineObserver | undefined;
  /** The clock a throttle reads: monotonic milliseconds by default, a test's virtual clock in `aio test`. */
  processingTime?: (() => number) | undefined;
}

export class RunKernel {
  readonly engine: GraphEngine;
  private readonly observation: RunObservation | undefined;

  constructor(prepared: PreparedRun, options: RunKernelOptions) {
    this.observation = options.observation;
    const observers = [options.observation?.observer, options.observer].filter((o): o is EngineObserver => o !== undefined);
    const observer = observers.length > 1 ? observeAll(...observers) : observers[0];
    this.engine = createEngine(prepared, options.output, observer, options.processingTime);
  }

  /** One input, named for its journey in a trace (its data file, its MQTT topic, its case). */
  input(name: string, item: Item): void {
    feed(this.engine, this.observation, name, item);
  }

  /** Event time moved on without input (a live run's idle clock): windows whose time has come close. */
  advance(millis: number): void {
    this.engine.advance(hlcFromMillis(millis));
    this.observation?.settle();
  }

  /** Input has ended: every window closes and everything held is released. */
  finish(): void {
    this.engine.finish();
    this.observation?.settle();
  }
}
