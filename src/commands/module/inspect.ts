import { Args } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { inspectComponent, readModuleFile, type ComponentWorld } from '../../wasm/component-world.js';
import { formatInterfaceRef } from '../../wasm/wit-names.js';
import { formatBytes } from '../../files/read-user-file.js';

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

  async run(): Promise<ComponentWorld & { file: string; runnable: boolean }> {
    const { args } = await this.parse(ModuleInspect);
    const world = await inspectComponent(await readModuleFile(args.file), args.file);
    const runnable = world.problems.length === 0;
    this.log(`${args.file}`);
    this.log(`  size       ${formatBytes(world.size)}`);
    this.log(`  sha256     ${world.sha256}`);
    this.log(`  operators  ${world.operators.join(', ') || '(none)'}`);
    this.log('  exports');
    for (const ref of world.exports) this.log(`    ${formatInterfaceRef(ref)}`);
    this.log('  imports');
    for (const ref of world.imports) {
      const unsupported = world.unsupportedImports.includes(ref) ? '   ✗ not provided by this host' : '';
      this.log(`    ${formatInterfaceRef(ref)}${unsupported}`);
    }
    if (runnable) {
      this.log('  runnable   yes');
    } else {
      this.log(`  runnable   no: it ${world.problems.join('; it ')}`);
      process.exitCode = 3;
    }
    return { file: args.file, ...world, runnable };
  }
}
