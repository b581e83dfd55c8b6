/**
 * The run's module instances on the calling thread (see module-host.ts). A call costs what the module costs; with a
 * deadline, the instrumented module checks the clock itself and a call past it is ended by a throw through its
 * frames, on this thread (call-deadline.ts).
 */
import type { Operator } from '../../engine/operators.js';
import { ModuleInstances } from './module-instances.js';
import { replacedOperations, type HostPlacement, type HostReplacement, type ModuleHost, type ModuleHostOptions } from './module-host.js';

export class InThreadModuleHost implements ModuleHost {
  private instances: ModuleInstances;

  private constructor(
    private options: ModuleHostOptions,
    readonly placement: HostPlacement & { kind: 'in-thread' },
  ) {
    this.instances = this.startInstances(options);
  }

  /** Starts every instance; throws a module's own start-up error (an AioError). */
  static start(options: ModuleHostOptions, placement: HostPlacement & { kind: 'in-thread' }): InThreadModuleHost {
    return new InThreadModuleHost(options, placement);
  }

  /** Looks the instance up on every call: a replace changes it between two items. */
  operator(index: number): Operator {
    return {
      map: (item) => this.instances.at(index).map(item),
      filter: (item) => this.instances.at(index).filter(item),
      branch: (item) => this.instances.at(index).branch(item),
      accumulate: (staged, batch) => this.instances.at(index).accumulate(staged, batch),
      delay: (item) => this.instances.at(index).delay(item),
    };
  }

  replace(replacements: readonly HostReplacement[]): void {
    const indexed = replacedOperations(this.options.operations, replacements);
    this.instances.replace(indexed);
    for (const { index, operation } of indexed) this.options.operations[index] = operation;
  }

  async reset(options: ModuleHostOptions): Promise<void> {
    await this.instances.close();
    this.options = options;
    this.instances = this.startInstances(options);
  }

  async close(): Promise<void> {
    await this.instances.close();
  }

  private startInstances(options: ModuleHostOptions): ModuleInstances {
    const instances = new ModuleInstances({
      services: options.services,
      modelDirs: options.modelDirs,
      limits: this.placement.bounded ? options.limits : undefined,
    });
    instances.start(options.operations);
    return instances;
  }
}
