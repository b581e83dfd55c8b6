import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../cli/base-command.js';
import { BuildProgress } from '../cli/build-progress.js';
import { paint, colorEnabled } from '../cli/style.js';
import { buildWorkspace, type BuildReport } from '../build/build-workspace.js';
import { JS_ENGINES } from '../workspace/operator-manifest.js';
import { findWorkspaceRoot } from '../workspace/find-workspace.js';
import { ExitCode } from '../errors.js';

export default class Build extends AioCommand {
  static override summary = 'Build the workspace’s operators into WebAssembly modules.';
  static override description = `Builds every operator under operators/ (or the ones named) by its language, in parallel, into
operators/<name>/bin/<release|debug>/<name>.wasm:
  TypeScript, JavaScript  bundled with esbuild (the aio SDK and npm packages included), then built offline with
                          QuickJS (componentize-qjs, the default) or SpiderMonkey (componentize-js): --js-engine
  Rust                    cargo build --target wasm32-wasip2 [--release]
  Python                  componentize-py -d <aio's WIT> -w <kind>-impl componentize <name> (0.14.0, as the AIO
                          samples pin; the workspace's .venv/ or venv/ first, else PATH)
An operator whose sources, WIT, toolchain and options are unchanged is skipped. Each module is then checked against
the workspace's graphs: every operation that names it must find the interface its type needs. Compiler errors are
shown with file:line. Exits 3 when any operator failed.`;

  static override examples = [
    { description: 'Build every operator (release)', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Debug builds of two operators', command: '<%= config.bin %> <%= command.id %> conv window --debug' },
    { description: 'Build JavaScript operators with SpiderMonkey instead of QuickJS', command: '<%= config.bin %> <%= command.id %> --js-engine spidermonkey' },
    { description: 'In a pipeline', command: '<%= config.bin %> <%= command.id %> --json > build.json' },
  ];

  static override strict = false;
  static override args = {
    operator: Args.string({ description: 'operators to build (default: all)' }),
  };

  static override flags = {
    debug: Flags.boolean({ description: 'debug build into bin/debug/ (Rust keeps DWARF; a Python debug build is the release component)' }),
    'js-engine': Flags.option({
      options: JS_ENGINES,
      description: 'engine for JavaScript/TypeScript operators that do not pin one in operator.json (default: quickjs)',
    })(),
    force: Flags.boolean({ description: 'rebuild even when up to date' }),
    workspace: Flags.string({ description: 'workspace folder (default: the one holding the current folder)' }),
  };

  async run(): Promise<BuildReport> {
    const { argv, flags } = await this.parse(Build);
    const root = findWorkspaceRoot(flags.workspace ?? process.cwd());
    const progress = new BuildProgress(process.stderr, !this.jsonEnabled());
    const report = await buildWorkspace({
      root,
      names: argv as string[],
      mode: flags.debug ? 'debug' : 'release',
      ...(flags['js-engine'] ? { jsEngine: flags['js-engine'] } : {}),
      force: flags.force,
      onEvent: progress.onEvent,
    });
    this.printFailures(report);
    if (!report.ok) process.exitCode = ExitCode.invalidInput;
    return report;
  }

  private printFailures(report: BuildReport): void {
    if (this.jsonEnabled()) return;
    const color = colorEnabled(process.stderr);
    for (const op of report.operators) {
      if (op.error === undefined) continue;
      process.stderr.write(`\n${paint('red', 'error', color)} ${op.error.code}: ${op.error.message}\n`);
      for (const line of op.error.diagnostics) process.stderr.write(`  ${line}\n`);
      if (op.error.hint) process.stderr.write(`  ${paint('cyan', 'hint:', color)} ${op.error.hint.replaceAll('\n', '\n    ')}\n`);
    }
    const failed = report.operators.filter((o) => o.status === 'failed').length;
    const built = report.operators.filter((o) => o.status === 'built').length;
    const fresh = report.operators.length - failed - built;
    this.log(`${failed ? 'FAILED' : 'OK'}: ${built} built, ${fresh} up to date, ${failed} failed (${report.mode})`);
  }
}
