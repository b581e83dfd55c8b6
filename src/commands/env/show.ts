import { Args, Flags } from '@oclif/core';
import { stringify } from 'yaml';
import { AioCommand } from '../../cli/base-command.js';
import { environmentView } from '../../project/environment-view.js';
import { findProjectFile, loadProject, selectEnvironment } from '../../project/load-project.js';

export default class EnvShow extends AioCommand {
  static override summary = 'Print an environment as aio resolves it: defaults applied, ${VAR} filled, secrets masked.';
  static override examples = [
    { description: 'Check what prod binds before deploying', command: '<%= config.bin %> <%= command.id %> prod' },
    { description: 'The environment AIO_ENV names, as JSON', command: 'AIO_ENV=staging <%= config.bin %> <%= command.id %> --json' },
  ];
  static override args = { name: Args.string({ description: 'environment name (default: --env, AIO_ENV, or the only one)' }) };
  static override flags = {
    project: Flags.string({ description: 'the project file (default: aio.yaml here or in a folder above)' }),
    env: Flags.string({ char: 'e', description: 'environment name (same as the argument)' }),
  };

  async run(): Promise<Record<string, unknown>> {
    const { args, flags } = await this.parse(EnvShow);
    const project = await loadProject(findProjectFile(flags.project));
    const view = environmentView(project, selectEnvironment(project, args.name ?? flags.env));
    this.log(stringify(view, { lineWidth: 0 }).trimEnd());
    return view;
  }
}
