import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { paint, colorEnabled } from '../../cli/style.js';
import { countBySeverity, formatDiagnostic, hasErrors, type Diagnostic } from '../../diagnostics.js';
import { AioError, ExitCode } from '../../errors.js';
import { discoverGraphFiles } from '../../graph/discover.js';
import { validateInputFile } from '../../pipeline/validate-input.js';

export default class GraphValidate extends AioCommand {
  static override summary = 'Check graph definitions and DataflowGraph manifests, reporting every problem with its line and column.';
  static override description = `Checks YAML syntax, the graph schema and the rules the cluster enforces (unique names, known operations, no cycles, reachability, branch arms, modules, single inputs, configurations). Every finding is reported, not only the first, as
  path:line:col: severity CODE: message (hint: how to fix)
A DataflowGraph manifest (the Kubernetes CR, an ARM template or resource, or the bare properties JSON of \`az iot ops dataflowgraph apply\`) is checked for its shape, the structural rules (node names, edge kinds, cycles, branch outputs, topic loops, fields by ARM apiVersion) and every built-in transform's rules and expressions, each finding at the line:column inside the block scalar or JSON string it sits in.
A directory is searched for graph-looking YAML files and kind: DataflowGraph manifests (other Kubernetes manifests, aio.yaml and *.test.yaml are passed over).
Exit status: 0 when every file is valid (warnings allowed unless --strict), 3 when any is not.`;

  static override examples = [
    { description: 'Check one graph', command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml' },
    { description: 'Check a DataflowGraph manifest (Kubernetes or ARM JSON)', command: '<%= config.bin %> <%= command.id %> pipeline.dataflowgraph.yaml' },
    { description: 'Check every graph under a folder, failing on warnings too', command: '<%= config.bin %> <%= command.id %> ./graphs --strict' },
    { description: 'Machine-readable findings for a pipeline', command: '<%= config.bin %> <%= command.id %> graph.yaml --json' },
  ];

  static override args = {
    paths: Args.string({ description: 'graph definitions, DataflowGraph manifests, or folders to search', required: true }),
  };

  static override strict = false;

  static override flags = {
    strict: Flags.boolean({ description: 'treat warnings as errors (exit 3)' }),
    quiet: Flags.boolean({ char: 'q', description: 'show errors and warnings only, not informational notes' }),
  };

  async run(): Promise<ValidationReport> {
    const { argv, flags } = await this.parse(GraphValidate);
    const paths = argv as string[];
    const discovery = await discoverGraphFiles(paths);
    const files = [...discovery.files, ...discovery.manifests];
    if (files.length === 0) {
      throw new AioError('AIO_NO_GRAPHS_FOUND', `no graph definitions found under ${paths.join(', ')}`, {
        hint: 'name the graph file directly, or check that the folder holds YAML files with operations: and connections:',
      });
    }
    const validations = await Promise.all(files.map((file) => validateInputFile(file)));
    const diagnostics = validations.flatMap((v) => v.diagnostics);
    const shown = flags.quiet ? diagnostics.filter((d) => d.severity !== 'info') : diagnostics;
    const failed = hasErrors(diagnostics, flags.strict);
    if (failed) process.exitCode = ExitCode.invalidInput;

    const invalid = validations.filter((v) => hasErrors(v.diagnostics, flags.strict)).length;
    const counts = countBySeverity(diagnostics);
    if (!this.jsonEnabled()) {
      const color = colorEnabled();
      for (const d of shown) this.log(colorSeverity(formatDiagnostic(d), d, color));
      const verdict = failed ? paint('red', 'FAILED', color) : paint('green', 'OK', color);
      this.log(
        `${verdict}: ${files.length} graph file${files.length === 1 ? '' : 's'} checked, ${invalid} invalid; ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} note(s)`,
      );
    }
    return {
      valid: !failed,
      files: validations.map((v, i) => ({ file: files[i]!, valid: !hasErrors(v.diagnostics, flags.strict) })),
      invalid,
      counts,
      diagnostics: shown,
    };
  }
}

/** `--json`: an object, as every command returns; the findings are under `diagnostics`. */
interface ValidationReport {
  valid: boolean;
  files: Array<{ file: string; valid: boolean }>;
  invalid: number;
  counts: ReturnType<typeof countBySeverity>;
  diagnostics: Diagnostic[];
}

function colorSeverity(line: string, d: Diagnostic, enabled: boolean): string {
  const style = d.severity === 'error' ? 'red' : d.severity === 'warning' ? 'yellow' : 'blue';
  return line.replace(` ${d.severity} `, ` ${paint(style, d.severity, enabled)} `);
}
