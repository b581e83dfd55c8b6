import { AioCommand } from '../../cli/base-command.js';
import { casesSchema } from '../../testing/case-schema.js';

export default class TestSchema extends AioCommand {
  static override summary = 'Print the JSON Schema of *.cases.yaml, aio’s own graph test format, for editors.';
  static override examples = [
    { description: 'Save it for the YAML language server', command: '<%= config.bin %> <%= command.id %> > aio-test-cases.schema.json' },
  ];

  async run(): Promise<unknown> {
    await this.parse(TestSchema);
    if (!this.jsonEnabled()) process.stdout.write(`${JSON.stringify(casesSchema, null, 2)}\n`);
    return casesSchema;
  }
}
