/**
 * A run's module instances on the thread that calls them, one per module-backed operation, with the one way to
 * replace some of them: every new instance starts (instantiation and `init`) before any old one is dropped, so a
 * module that cannot start leaves the old one serving. Used by the in-thread host and inside the module thread.
 */
import type { HostServices } from '../host/host-imports.js';
import { OperatorModule } from '../operator-module.js';
import type { HostedOperation, ModuleLimits } from './module-host.js';

export interface InstancesOptions {
  services: HostServices;
  modelDirs: readonly string[];
  /** Deadlines the instances bound their own calls by (instrumented modules only); none when undefined. */
  limits?: ModuleLimits | undefined;
  /** Told before each instance starts, so a start-up that never ends can be named. */
  onStarting?: (index: number) => void;
}

export class ModuleInstances {
  private modules: OperatorModule[] = [];

  constructor(private readonly options: InstancesOptions) {}

  /** Starts one instance per operation, in order, after dropping any there were; throws the first start-up error. */
  start(operations: readonly HostedOperation[]): void {
    void this.close();
    this.modules = operations.map((op, index) => this.create(index, op));
  }

  /** Starts the new instances, then (all started) drops the old ones; if one fails, the old ones all stay. */
  replace(replacements: ReadonlyArray<{ index: number; operation: HostedOperation }>): void {
    const started: OperatorModule[] = [];
    try {
      for (const { index, operation } of replacements) started.push(this.create(index, operation));
    } catch (error) {
      for (const module of started) void module.close();
      throw error;
    }
    for (const [i, { index }] of replacements.entries()) {
      void this.modules[index]!.close();
      this.modules[index] = started[i]!;
    }
  }

  at(index: number): OperatorModule {
    return this.modules[index]!;
  }

  async close(): Promise<void> {
    await Promise.all(this.modules.splice(0).map((module) => module.close()));
  }

  private create(index: number, operation: HostedOperation): OperatorModule {
    this.options.onStarting?.(index);
    const { services, modelDirs, limits } = this.options;
    return OperatorModule.create({ ...operation, services, modelDirs, limits });
  }
}
