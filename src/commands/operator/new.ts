import { Args, Flags } from '@oclif/core';
import { relative } from 'node:path';
import { AioCommand } from '../../cli/base-command.js';
import { askKind, kindFlag, languageFlag, languageOf } from '../../cli/scaffold-flags.js';
import { newOperator, type NewOperatorResult } from '../../scaffold/new-operator.js';
import { GRAPH_FILE } from '../../scaffold/init-workspace.js';
import { findWorkspaceRoot } from '../../workspace/find-workspace.js';

export default class OperatorNew extends AioCommand {
  static override summary = 'Add an operator to the workspace, from the template of its language and type.';
  static override description = `Creates operators/<name>/ with a working operator: a parameter read in init, a log line, a metric
and a unit test. Names follow the AIO rule: lowercase letters and digits only. The language defaults to that of
the workspace's other operators. --add-to-graph wires it into the graph before the sink (a branch through a new
concatenate) and declares its parameter.`;

  static override examples = [
    { description: 'Add a filter and wire it in before the sink', command: '<%= config.bin %> <%= command.id %> limit --type filter --add-to-graph' },
    { description: 'A Rust window operator, not wired in', command: '<%= config.bin %> <%= command.id %> window --type accumulate --lang rust' },
  ];

  static override args = {
    name: Args.string({ description: 'operator name: lowercase letters and digits', required: true }),
  };

  static override flags = {
    type: kindFlag,
    lang: languageFlag,
    'add-to-graph': Flags.boolean({ description: 'wire it into the graph before the sink' }),
    graph: Flags.string({ description: 'the graph --add-to-graph edits, relative to the workspace', default: GRAPH_FILE }),
    workspace: Flags.string({ description: 'workspace folder (default: the one holding the current folder)' }),
  };

  async run(): Promise<NewOperatorResult> {
    const { args, flags } = await this.parse(OperatorNew);
    const root = findWorkspaceRoot(flags.workspace ?? process.cwd());
    const kind = flags.type ?? (await askKind('map'));
    const result = await newOperator({
      root,
      name: args.name,
      kind,
      ...(flags.lang ? { language: languageOf(flags.lang) } : {}),
      ...(flags['add-to-graph'] ? { addToGraph: flags.graph } : {}),
    });
    this.log(
      `Created the ${result.language} ${kind} operator ${result.name} in ${relative(process.cwd(), result.dir)}${result.graph ? `, wired into ${result.graph} before the sink` : ''}.`,
    );
    this.log(`Build it with \`aio build ${result.name}\`; test its logic with \`aio operator test ${result.name}\`.`);
    return result;
  }
}
