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
--data data, aio test. --template pipeline adds pipeline.dataflowgraph.yaml (a built-in filter, the graph, a built-in
map routing by topic, a destination with a header), tests/pipeline.cases.yaml, and aio.yaml environments local
(emulator) and prod (arm) that bind the pipeline. Flags make it non-interactive; in a terminal it asks for what the flags leave out. It never
overwrites a file.`;

  static override examples = [
    { description: 'A TypeScript workspace with a map operator', command: '<%= config.bin %> <%= command.id %> demo --lang ts --operator conv --type map' },
    { description: 'A Rust workspace in the current folder', command: '<%= config.bin %> <%= command.id %> . --lang rust --operator window --type accumulate' },
    {
      description: 'A pipeline of built-in transforms around a custom operator, with local and prod environments',
      command: '<%= config.bin %> <%= command.id %> line --template pipeline --lang ts --operator scale --type map',
    },
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
    template: Flags.option({
      options: ['graph', 'pipeline'] as const,
      description: 'graph: the graph alone; pipeline: also a DataflowGraph with built-in transforms around it, a cases test, and local and prod environments',
      default: 'graph' as const,
    })(),
  };

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(Init);
    const language = languageOf(flags.lang ?? (await ask('Language', ['ts', 'js', 'rust', 'python'] as const, 'ts')));
    const kind = flags.type ?? (await askKind('map'));
    const operator = flags.operator ?? (await ask('Operator name (lowercase letters and digits)', undefined, kind));
    const result = await initWorkspace({ dir: args.dir, ...(flags.name ? { name: flags.name } : {}), language, operator, kind, template: flags.template });
    const where = relative(process.cwd(), result.root) || '.';
    this.log(`Created a ${language} workspace in ${where} (${result.files.length} files) with the ${kind} operator ${operator}.`);
    this.log('Next:');
    if (where !== '.') this.log(`  cd ${where}`);
    this.log('  aio build                       # build operators/ into .wasm modules');
    if (flags.template === 'pipeline') {
      this.log('  aio emulate --env local         # run the pipeline on the embedded broker (sensors/# → processed/…)');
      this.log('  aio test                        # run tests/, the pipeline cases among them');
      this.log('  aio render --env prod           # the ARM template that deploys the pipeline');
    } else {
      this.log('  aio emulate --data data         # run the graph on data/, output in data/output/');
      this.log('  aio test                        # run tests/');
    }
    this.log('  aio operator new <name> --type filter --add-to-graph');
    return result;
  }
}
