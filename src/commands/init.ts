import { Args, Flags } from '@oclif/core';
import { relative } from 'node:path';
import { AioCommand } from '../cli/base-command.js';
import { ask, askKind, kindFlag, languageFlag, languageOf } from '../cli/scaffold-flags.js';
import { initWorkspace, type InitResult } from '../scaffold/init-workspace.js';

export default class Init extends AioCommand {
  static override summary = 'Create a workspace: a graph, one operator, sample data, a passing test, aio.yaml.';
  static override description = `Writes a workspace the AIO tooling also understands: graph.dataflow.yaml (source → the operator →
sink), aio.yaml with a local environment, data/ with a sample message, tests/ with one AIO test descriptor,
operators/<name>/ from the template (with a parameter, a log line, a metric and a unit test), .gitignore and
.vscode/ (build, emulate and test tasks; the graph schema for the YAML extension). Then: aio build, aio emulate
--data data, aio test. Flags make it non-interactive; in a terminal it asks for what the flags leave out. It never
overwrites a file.`;

  static override examples = [
    { description: 'A TypeScript workspace with a map operator', command: '<%= config.bin %> <%= command.id %> demo --lang ts --operator conv --type map' },
    { description: 'A Rust workspace in the current folder', command: '<%= config.bin %> <%= command.id %> . --lang rust --operator window --type accumulate' },
    { description: 'Python, named', command: '<%= config.bin %> <%= command.id %> edge --name factory --lang python --operator scale --type map' },
  ];

  static override args = {
    dir: Args.string({ description: 'folder to create the workspace in (default: the current folder)', default: '.' }),
  };

  static override flags = {
    name: Flags.string({ description: 'workspace and graph name (default: the folder name)' }),
    lang: languageFlag,
    operator: Flags.string({ description: 'name of the first operator: lowercase letters and digits (default: the type)' }),
    type: kindFlag,
  };

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(Init);
    const language = languageOf(flags.lang ?? (await ask('Language', ['ts', 'js', 'rust', 'python'] as const, 'ts')));
    const kind = flags.type ?? (await askKind('map'));
    const operator = flags.operator ?? (await ask('Operator name (lowercase letters and digits)', undefined, kind));
    const result = await initWorkspace({ dir: args.dir, ...(flags.name ? { name: flags.name } : {}), language, operator, kind });
    const where = relative(process.cwd(), result.root) || '.';
    this.log(`Created a ${language} workspace in ${where} (${result.files.length} files) with the ${kind} operator ${operator}.`);
    this.log('Next:');
    if (where !== '.') this.log(`  cd ${where}`);
    this.log('  aio build                       # build operators/ into .wasm modules');
    this.log('  aio emulate --data data         # run the graph on data/, output in data/output/');
    this.log('  aio test                        # run tests/');
    this.log('  aio operator new <name> --type filter --add-to-graph');
    return result;
  }
}
