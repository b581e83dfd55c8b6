import { Args } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { inspectComponent, isInference, readModuleFile, type ComponentWorld } from '../../wasm/component-world.js';
import { formatInterfaceRef } from '../../wasm/wit-names.js';
import { formatBytes } from '../../files/read-user-file.js';
import { DEFAULT_MEMORY_LIMIT_MIB } from '../../wasm/load-component.js';
import { WASM_PAGE_BYTES, componentMemories, type MemoryLimits } from '../../wasm/memory-cap.js';

export default class ModuleInspect extends AioCommand {
  static override summary = 'Show what an operator module imports and exports, and whether aio can run it.';
  static override description =
    'Reads the component type information from a .wasm file: the operators it implements (map, filter, branch, accumulate, delay), ' +
    'the host and WASI interfaces it imports, its size and sha256. Exits 3 when this host cannot run the module, and says why.';
  static override examples = [
    { description: 'Inspect a built operator', command: '<%= config.bin %> <%= command.id %> operators/thermostat/bin/release/thermostat.wasm' },
    { description: 'Machine-readable', command: '<%= config.bin %> <%= command.id %> thermostat.wasm --json' },
  ];

  static override args = {
    file: Args.string({ description: 'the module (.wasm component)', required: true }),
  };

  async run(): Promise<ComponentWorld & { file: string; runnable: boolean; memory: MemoryReport }> {
    const { args } = await this.parse(ModuleInspect);
    const bytes = await readModuleFile(args.file);
    const world = await inspectComponent(bytes, args.file);
    const memory = memoryReport(componentMemories(bytes));
    const runnable = world.problems.length === 0;
    this.log(`${args.file}`);
    this.log(`  size       ${formatBytes(world.size)}`);
    this.log(`  sha256     ${world.sha256}`);
    this.log(`  operators  ${world.operators.join(', ') || '(none)'}`);
    this.log(`  memory     ${describeMemory(memory)}`);
    this.log('  exports');
    for (const ref of world.exports) this.log(`    ${formatInterfaceRef(ref)}`);
    this.log('  imports');
    for (const ref of world.imports) {
      const unsupported = world.unsupportedImports.includes(ref)
        ? '   ✗ not provided by this host'
        : isInference(ref)
          ? '   ONNX models on onnxruntime-node (CPU)'
          : '';
      this.log(`    ${formatInterfaceRef(ref)}${unsupported}`);
    }
    if (runnable) {
      this.log('  runnable   yes');
    } else {
      this.log(`  runnable   no: it ${world.problems.join('; it ')}`);
      process.exitCode = 3;
    }
    return { file: args.file, ...world, runnable, memory };
  }
}

interface MemoryReport {
  /** The linear memories the module defines: initial and declared maximum size in MiB (null: none declared). */
  declared: Array<{ initialMiB: number; maximumMiB: number | null }>;
  /** The cap `aio emulate` and `aio test` put on each instance by default (`--memory-limit`). */
  emulatorLimitMiB: number;
}

function memoryReport(memories: MemoryLimits[]): MemoryReport {
  const mib = (pages: number): number => (pages * WASM_PAGE_BYTES) / (1024 * 1024);
  return {
    declared: memories.map((m) => ({ initialMiB: mib(m.min), maximumMiB: m.max === undefined ? null : mib(m.max) })),
    emulatorLimitMiB: DEFAULT_MEMORY_LIMIT_MIB,
  };
}

function describeMemory(memory: MemoryReport): string {
  const declared = memory.declared.map((m) => `${m.initialMiB} MiB initial, ${m.maximumMiB === null ? 'no maximum' : `at most ${m.maximumMiB} MiB`}`);
  const cap = `capped at ${memory.emulatorLimitMiB} MiB per instance when run here (--memory-limit)`;
  return `${declared.join('; ') || 'none defined'}; ${cap}`;
}
