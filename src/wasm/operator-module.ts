/**
 * One graph operation running one module: instantiated with the run's host services, initialised with the
 * operation's parameters, called through the binding for its interface. A trap fails only the current item; the
 * instance is discarded and a fresh one (initialised again) serves the next call.
 */
import { AioError, errorMessage } from '../errors.js';
import type { Hlc } from '../engine/hlc.js';
import type { Item } from '../engine/message.js';
import { bindings } from './bindings.js';
import { LentBuffers } from './host/buffer.js';
import { processorImports, type HostServices } from './host/host-imports.js';
import type { LoadedComponent, ComponentExports } from './load-component.js';
import { OperatorFailure } from '../engine/operator-failure.js';
import { wasiImports } from './wasi-sandbox.js';
import { InferenceClient } from './inference/inference-client.js';
import { wasiNnImports } from './inference/wasi-nn-imports.js';
import { WIT_PACKAGE, WIT_VERSION, type OperatorInterface } from './wit-names.js';
import { CallDeadline, DeadlineExpired } from './call-deadline.js';
import { deadlineFailure, initDeadlineError, type ModuleLimits } from './hosting/module-host.js';

export interface ModuleConfigurationInput {
  /** The operation's parameters: graph defaults overridden by configuration. */
  properties: Array<[string, string]>;
  /** Schemas passed to the module (`module-schemas`). */
  schemas?: Array<{ name: string; contentType: string; content: string }>;
}

export interface OperatorModuleOptions {
  component: LoadedComponent;
  /** The graph operation's name, used in logs, metrics and errors. */
  operation: string;
  interface: OperatorInterface;
  configuration: ModuleConfigurationInput;
  services: HostServices;
  /** Where `wasi:nn` load-by-name looks for `<name>` or `<name>.onnx`: the graph's `models/` folder, then its own. */
  modelDirs?: readonly string[] | undefined;
  /**
   * The deadlines this instance bounds its calls and start-up by; only an instrumented (bounded) component can.
   * None when undefined: no limit, or the module thread's host enforces them.
   */
  limits?: ModuleLimits | undefined;
}

interface Instance {
  process: (...args: unknown[]) => unknown;
}

export class OperatorModule {
  private instance: Instance | undefined;
  private readonly lent = new LentBuffers();
  /** ONNX inference for modules importing wasi:nn; its thread starts on the first model load. */
  private readonly inference = new InferenceClient();
  private readonly deadline = new CallDeadline();
  /** The call and init deadlines, in ms, when this instance bounds its own calls; 0: none. */
  private readonly callDeadlineMs: number;
  private readonly initDeadlineMs: number;
  /** How many instances were replaced after traps or deadlines. */
  restarts = 0;

  private constructor(private readonly options: OperatorModuleOptions) {
    const bounded = options.limits !== undefined && options.component.bounded;
    this.callDeadlineMs = bounded ? options.limits!.callDeadlineMs : 0;
    this.initDeadlineMs = bounded ? options.limits!.initDeadlineMs : 0;
  }

  /** Instantiates and runs `init`; throws an AioError when the module lacks the interface or rejects its configuration. */
  static create(options: OperatorModuleOptions): OperatorModule {
    const { component, operation } = options;
    if (!component.world.operators.includes(options.interface)) {
      const exported = component.world.operators.join(', ') || 'no operator interface';
      throw new AioError(
        'AIO_MODULE_MISSING_INTERFACE',
        `operation ${operation} needs the ${options.interface} interface, but ${component.source} exports ${exported}`,
        { hint: `Set operationType to one the module exports, or point the operation at a module that implements ${options.interface}.` },
      );
    }
    const module = new OperatorModule(options);
    module.instance = module.start();
    return module;
  }

  map(item: Item): Item {
    return this.call(item.timestamp, bindings.map, item);
  }

  filter(item: Item): boolean {
    return this.call(item.timestamp, bindings.filter, item);
  }

  branch(item: Item): boolean {
    return this.call(item.timestamp, bindings.branch, item);
  }

  accumulate(staged: Item, batch: Item[]): Item {
    return this.call(batch.at(-1)?.timestamp ?? staged.timestamp, bindings.accumulate, staged, batch);
  }

  delay(item: Item): Hlc {
    return this.call(item.timestamp, bindings.delay, item);
  }

  /** Ends what outlives calls: the inference thread, if the module ever loaded a model. */
  async close(): Promise<void> {
    await this.inference.close();
  }

  /** Buffer handles the module still holds after the last call; always 0 (tests check it). */
  get outstandingHandles(): number {
    return this.lent.outstanding;
  }

  /** Two fixed arguments, not a rest parameter: this runs for every item, and spreading allocated on each call. */
  private call<R>(
    timestamp: Hlc,
    binding: (process: Instance['process'], lent: LentBuffers, first: never, second: never) => R,
    first: unknown,
    second?: unknown,
  ): R {
    const instance = this.instance ?? this.restart(timestamp);
    this.deadline.arm(this.callDeadlineMs);
    try {
      return (binding as (process: Instance['process'], lent: LentBuffers, first: unknown, second: unknown) => R)(instance.process, this.lent, first, second);
    } catch (error) {
      if (isErrorResult(error)) {
        throw new OperatorFailure('error', this.options.operation, timestamp, String(error.payload?.message ?? JSON.stringify(error.payload)));
      }
      // Anything else is a trap or the deadline: the instance state is undefined now, so drop it (and its handle tables).
      this.instance = undefined;
      this.lent.forgetTables();
      if (error instanceof DeadlineExpired) throw deadlineFailure(this.options.operation, timestamp, error.limitMs, 'its instance was');
      throw new OperatorFailure('trap', this.options.operation, timestamp, errorMessage(error));
    } finally {
      this.deadline.disarm();
      this.lent.release();
    }
  }

  private restart(timestamp: Hlc): Instance {
    this.restarts++;
    try {
      this.instance = this.start();
      return this.instance;
    } catch (error) {
      throw new OperatorFailure('trap', this.options.operation, timestamp, `could not re-create the instance: ${errorMessage(error)}`);
    }
  }

  /** Instantiates and initialises, within the init deadline when this instance has one. */
  private start(): Instance {
    this.deadline.arm(this.initDeadlineMs);
    try {
      return this.startUnbounded();
    } catch (error) {
      if (!(error instanceof DeadlineExpired || (error instanceof AioError && error.cause instanceof DeadlineExpired))) throw error;
      throw initDeadlineError(this.options.operation, this.options.component.source, this.initDeadlineMs);
    } finally {
      this.deadline.disarm();
    }
  }

  private startUnbounded(): Instance {
    const { component, operation, services, configuration } = this.options;
    const imports = {
      ...wasiImports((stream, line) =>
        services.log.write({ level: stream === 'stderr' ? 'warn' : 'info', operation, context: stream, message: line, time: new Date() }),
      ),
      ...processorImports(operation, services, this.lent),
      ...wasiNnImports(this.inference, this.options.modelDirs ?? []),
    };
    let exports: ComponentExports;
    try {
      exports = component.instantiate(imports, this.deadline.imports);
    } catch (error) {
      throw new AioError('AIO_MODULE_INSTANTIATE', `operation ${operation}: ${component.source} failed to start: ${errorMessage(error)}`, {
        hint: 'The module trapped while starting; run it with `aio module inspect` and check its build.',
        cause: error,
      });
    }
    const api = exports[`${WIT_PACKAGE}/${this.options.interface}@${WIT_VERSION}`] ?? exports[this.options.interface];
    if (!api?.['process'] || !api['init']) {
      throw new AioError('AIO_MODULE_MISSING_INTERFACE', `operation ${operation}: ${component.source} has no ${this.options.interface} process/init exports`);
    }
    this.initialise(api['init'], configuration);
    return { process: api['process'] };
  }

  private initialise(init: (...args: unknown[]) => unknown, configuration: ModuleConfigurationInput): void {
    const { operation, component } = this.options;
    const shown = configuration.properties.map(([k, v]) => `${k}=${v}`).join(', ') || 'no parameters';
    let accepted: unknown;
    try {
      accepted = init({ properties: configuration.properties, moduleSchemas: configuration.schemas ?? [] });
    } catch (error) {
      throw new AioError('AIO_MODULE_INIT_TRAPPED', `operation ${operation}: ${component.source} trapped in init (given ${shown}): ${errorMessage(error)}`, {
        hint: 'Check the operation parameters; the module log may say which one it could not use.',
        cause: error,
      });
    }
    if (accepted !== true) {
      throw new AioError('AIO_MODULE_INIT_REJECTED', `operation ${operation}: the module rejected its configuration (init returned false) with ${shown}`, {
        hint: 'Supply the parameters the module needs: graph defaults, TK_CONFIGURATION_PARAMETERS, or --param <operation>.<key>=<value>.',
      });
    }
  }
}

function isErrorResult(error: unknown): error is { payload: { message?: string } } {
  return typeof error === 'object' && error !== null && 'payload' in error && !(error instanceof WebAssembly.RuntimeError);
}
