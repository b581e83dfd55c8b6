import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { colorEnabled, paint } from '../../cli/style.js';
import { testOperators, type OperatorTestResult } from '../../build/operator-tests.js';
import { ExitCode } from '../../errors.js';
import { findWorkspaceRoot } from '../../workspace/find-workspace.js';

export default class OperatorTest extends AioCommand {
  static override summary = 'Run operators’ unit tests (no build needed); `aio test` runs whole-graph tests.';
  static override description = `Runs each operator's own unit tests with its language's runner:
  TypeScript, JavaScript  *.test.ts / *.test.js with node --test; the SDK's testing host (aio-graph-cli/sdk/testing)
                          stands in for the component host: logs, metrics, state store
  Rust                    cargo test on the host target
  Python                  python3 -m unittest over test_*.py, with the workspace's Python: .venv/ or venv/ in
                          the operator's folder or the workspace root, else python3 on PATH
Exits 3 when any test fails.`;

  static override examples = [
    { description: 'Every operator', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'One operator', command: '<%= config.bin %> <%= command.id %> conv' },
  ];

  static override strict = false;
  static override args = { operator: Args.string({ description: 'operators to test (default: all)' }) };
  static override flags = { workspace: Flags.string({ description: 'workspace folder (default: the one holding the current folder)' }) };

  async run(): Promise<{ operators: OperatorTestResult[] }> {
    const { argv, flags } = await this.parse(OperatorTest);
    const root = findWorkspaceRoot(flags.workspace ?? process.cwd());
    const operators = await testOperators(root, argv as string[]);
    const color = colorEnabled(process.stderr);
    if (!this.jsonEnabled()) {
      for (const op of operators) {
        const mark = op.status === 'passed' ? paint('green', '✓', color) : op.status === 'failed' ? paint('red', '✗', color) : '·';
        this.log(`${mark} ${op.name} (${op.language}): ${op.status === 'no-tests' ? 'no unit tests' : op.status} in ${op.seconds.toFixed(1)} s`);
        if (op.status === 'failed' && op.output) process.stderr.write(`${op.output.replace(/^/gm, '    ')}\n`);
        if (op.error) process.stderr.write(`    ${op.error.code}: ${op.error.message}${op.error.hint ? `\n    hint: ${op.error.hint}` : ''}\n`);
      }
    }
    if (operators.some((op) => op.status === 'failed')) process.exitCode = ExitCode.invalidInput;
    return { operators };
  }
}
