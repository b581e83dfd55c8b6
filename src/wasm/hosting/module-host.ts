/**
 * Where a run's module instances live, as the run sees it. Two hosts offer the same operations (call through
 * `operator`, replace, reset, close; the modules' own logs and metrics reach the run's services from either):
 * - in-thread-host.ts: the instances on the calling thread; a call is bounded by the instrumented module itself
 *   (call-deadline.ts), or not at all with `--call-deadline 0`. The default, and the cheapest call.
 * - thread/thread-host.ts: the instances on a module thread of their own, each call handed over and waited for at
 *   most the deadline, the thread terminated past it. Kept for what instrumentation cannot bound: a module the
 *   rewriter does not understand, and a module that can block inside a host call (wasi:nn inference).
 * planModuleHost picks one; startModuleHost starts it.
 */
import { AioError } from '../../errors.js';
import type { Hlc } from '../../engine/hlc.js';
import { OperatorFailure } from '../../engine/operator-failure.js';
import type { Operator } from '../../engine/operators.js';
import type { HostServices } from '../host/host-imports.js';
import type { MetricsRegistry } from '../host/metrics.js';
import type { SchemaCatalog } from '../host/schema-catalog.js';
import type { StateStore } from '../host/state-store.js';
import { importsInference } from '../component-world.js';
import type { LoadedComponent } from '../load-component.js';
import type { ModuleConfigurationInput } from '../operator-module.js';
import type { OperatorInterface } from '../wit-names.js';

export interface ModuleLimits {
  /** How long one module call may take, in ms; 0: no limit. */
  callDeadlineMs: number;
  /** How long starting an instance (instantiation and `init`) may take, in ms. */
  initDeadlineMs: number;
  /** Calls on a module thread even where the calling thread could bound them (to exercise that host in tests). */
  moduleThread?: boolean | undefined;
}

/** One module-backed operation of the run. */
export interface HostedOperation {
  component: LoadedComponent;
  operation: string;
  interface: OperatorInterface;
  configuration: ModuleConfigurationInput;
}

export interface ModuleHostOptions {
  operations: HostedOperation[];
  services: HostServices & { stateStore: StateStore; metrics: MetricsRegistry; schemas: SchemaCatalog };
  limits: ModuleLimits;
  modelDirs: readonly string[];
}

/** An operation to start anew with this module and configuration. */
export interface HostReplacement {
  operation: string;
  component: LoadedComponent;
  configuration: ModuleConfigurationInput;
}

export interface ModuleHost {
  /** Where the calls run, and why there: for the run's log and the README's promise. */
  readonly placement: HostPlacement;
  /** The engine's view of one hosted operation (by its index in `operations`). */
  operator(index: number): Operator;
  /**
   * Starts the named operations anew (a module swap, new parameters), synchronously, so the swap falls between two
   * items: every new instance starts before any old one goes; if one cannot start, this throws and the old serve on.
   */
  replace(replacements: readonly HostReplacement[]): void;
  /** Serves another run's operations (aio test's next case), dropping this run's instances. */
  reset(options: ModuleHostOptions): Promise<void>;
  close(): Promise<void>;
}

export type HostPlacement =
  | { kind: 'in-thread'; bounded: boolean }
  | {
      kind: 'module-thread';
      /** What made the run need a thread of its own. */
      reason: string;
    };

/** Each replacement as the operation it becomes, with its index in `operations`; throws for an unknown operation. */
export function replacedOperations(
  operations: readonly HostedOperation[],
  replacements: readonly HostReplacement[],
): Array<{ index: number; operation: HostedOperation }> {
  return replacements.map((r) => {
    const index = operations.findIndex((op) => op.operation === r.operation);
    if (index < 0) throw new Error(`module host: no operation ${r.operation} to replace`);
    return { index, operation: { ...operations[index]!, component: r.component, configuration: r.configuration } };
  });
}

/** Which host a run's operations need: the calling thread unless something cannot be bounded there. */
export function planModuleHost(operations: readonly HostedOperation[], limits: ModuleLimits): HostPlacement {
  if (limits.callDeadlineMs <= 0) return { kind: 'in-thread', bounded: false };
  if (limits.moduleThread) return { kind: 'module-thread', reason: 'a module thread was asked for' };
  for (const { operation, component } of operations) {
    if (!component.bounded)
      return { kind: 'module-thread', reason: `operation ${operation}: ${component.unboundedReason ?? 'its module was not instrumented'}` };
    if (importsInference(component.world))
      return { kind: 'module-thread', reason: `operation ${operation}: its module imports wasi:nn, whose inference can block a call` };
  }
  return { kind: 'in-thread', bounded: true };
}

/** The item a call past its deadline fails, with what happens next (`restarted`: which instances start anew). */
export function deadlineFailure(operation: string, timestamp: Hlc, limitMs: number, restarted: string): OperatorFailure {
  return new OperatorFailure(
    'deadline',
    operation,
    timestamp,
    `no result within ${limitMs} ms (the call deadline; --call-deadline or emulator.callDeadline in aio.yaml); ` +
      `${restarted} stopped and start anew (init again) for the next item`,
  );
}

/** An instance that did not finish starting in time (`after`: what follows, e.g. that the old module serves on). */
export function initDeadlineError(operation: string, module: string, limitMs: number, after = ''): AioError {
  return new AioError('AIO_MODULE_INIT_DEADLINE', `operation ${operation}: ${module} did not finish starting (init) within ${limitMs} ms${after}`, {
    hint: 'The module may loop in init, or need longer to start: raise --init-deadline (or emulator.initDeadline in aio.yaml).',
  });
}
