import { AioCommand } from '../../cli/base-command.js';
import { projectSchema } from '../../project/project-schema.js';

export default class EnvSchema extends AioCommand {
  static override summary = 'Print the JSON Schema of aio.yaml, for editors.';
  static override examples = [{ description: 'Save it for the YAML language server', command: '<%= config.bin %> <%= command.id %> > aio.schema.json' }];

  async run(): Promise<unknown> {
    await this.parse(EnvSchema);
    if (!this.jsonEnabled()) process.stdout.write(`${JSON.stringify(projectSchema, null, 2)}\n`);
    return projectSchema;
  }
}
