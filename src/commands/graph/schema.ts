import { AioCommand } from '../../cli/base-command.js';
import { graphSchema } from '../../graph/schema.js';

export default class GraphSchema extends AioCommand {
  static override summary = 'Print the JSON Schema (draft-07) of graph definitions, for editors and other tools.';
  static override examples = [{ description: 'Save it for your editor', command: '<%= config.bin %> <%= command.id %> > aio-graph.schema.json' }];

  async run(): Promise<typeof graphSchema> {
    await this.parse(GraphSchema);
    if (!this.jsonEnabled()) this.log(JSON.stringify(graphSchema, null, 2));
    return graphSchema;
  }
}
