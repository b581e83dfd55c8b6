import { Flags } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { findProjectFile, loadProject } from '../../project/load-project.js';

export default class EnvList extends AioCommand {
  static override summary = 'List the environments in aio.yaml with their target and registry.';
  static override examples = [{ description: 'Which environments can I deploy to?', command: '<%= config.bin %> <%= command.id %>' }];
  static override flags = { project: Flags.string({ description: 'the project file (default: aio.yaml here or in a folder above)' }) };

  async run(): Promise<{ project: string; environments: Array<{ name: string; target: string; registry: string | null; selected: boolean }> }> {
    const { flags } = await this.parse(EnvList);
    const project = await loadProject(findProjectFile(flags.project));
    const selected = process.env['AIO_ENV'];
    const environments = [...project.environments.values()].map((e) => ({
      name: e.name,
      target: e.target,
      registry: e.registry?.host ?? null,
      selected: e.name === selected,
    }));
    const width = Math.max(4, ...environments.map((e) => e.name.length));
    this.log(`${'name'.padEnd(width)}  ${'target'.padEnd(10)}  registry`);
    for (const e of environments) this.log(`${e.name.padEnd(width)}  ${e.target.padEnd(10)}  ${e.registry ?? '-'}${e.selected ? '   (AIO_ENV)' : ''}`);
    return { project: project.file, environments };
  }
}
