import { writeFile } from 'node:fs/promises';
import { limitFlags, runLimits } from '../cli/limit-flags.js';
import { builtinOptionsOf, pipelineFlags } from '../cli/pipeline-flags.js';
import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../cli/base-command.js';
import { colorEnabled, paint } from '../cli/style.js';
import { ExitCode } from '../errors.js';
import { junitXml } from '../testing/junit.js';
import type { CaseResult } from '../testing/run-case.js';
import { runTests, type TestRun } from '../testing/run-tests.js';

export default class Test extends AioCommand {
  static override summary = 'Run graph test cases: inputs through the whole graph, sink output against expectations.';
  static override description = `Finds test files under the given paths (default: the current folder), in two formats:
  *.test.yaml   the AIO tooling's descriptor: name, graph, input (data folder: one message per file), expected
                (JSON: the sink message(s) reduced to "select" field paths, minus "ignores"), timeout (ms).
  *.cases.yaml  aio's own: many cases for one graph, each with inline input messages (at: virtual ms or ts: an
                __ts timestamp, topic, MQTT 5 properties; out of order and late arrivals allowed), parameters,
                a state store seed, and expectations on the sink, on any connection ("<from> -> <to>" taps),
                on drops and on errors, in strict or any order. \`aio test schema\` prints its JSON Schema.
A payload that is JSON is compared as parsed JSON. Cases run on a virtual clock driven by their timestamps, so
window results never depend on wall time or machine speed.
A failing case prints the path of every mismatch with the expected and actual values. --update rewrites the
expectations from the actual output (review the change before committing it).
Exit status: 0 when every case passes, 3 when any fails.`;

  static override examples = [
    { description: 'Run every test case under the current folder', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Run one workspace, with JUnit XML for CI',
      command: '<%= config.bin %> <%= command.id %> examples/thermostat --reporter junit --output test-results.xml',
    },
    { description: 'Rewrite expectations from the actual output', command: '<%= config.bin %> <%= command.id %> examples/thermostat --update' },
  ];

  static override args = {
    paths: Args.string({ description: 'test descriptors or folders to search (default: .)' }),
  };

  static override strict = false;

  static override flags = {
    update: Flags.boolean({ description: 'rewrite expected files from the actual output' }),
    modules: Flags.string({ description: 'folder holding <module>.wasm files, searched first (repeatable)', multiple: true, default: [] }),
    reporter: Flags.option({ options: ['terminal', 'junit'] as const, description: 'report format', default: 'terminal' as const })(),
    output: Flags.string({ description: 'write the junit report to this file (default: standard output)' }),
    ...limitFlags,
    ...pipelineFlags,
  };

  async run(): Promise<TestRun> {
    const { argv, flags } = await this.parse(Test);
    const color = colorEnabled();
    const terminal = !this.jsonEnabled() && flags.reporter === 'terminal';
    const run = await runTests({
      paths: argv.length > 0 ? (argv as string[]) : ['.'],
      moduleDirs: flags.modules,
      update: flags.update,
      limits: runLimits(flags),
      graphFiles: flags['graph-file'],
      builtinOptions: builtinOptionsOf(flags),
      onResults: (results) => {
        if (terminal) for (const result of results) this.log(describeResult(result, color));
      },
    });
    if (run.failed > 0) process.exitCode = ExitCode.invalidInput;
    if (flags.reporter === 'junit') {
      const xml = junitXml(run.cases, (r) => describeResult(r, false));
      if (flags.output) await writeFile(flags.output, xml);
      else if (!this.jsonEnabled()) process.stdout.write(xml);
    }
    if (terminal) {
      const verdict = run.failed > 0 ? paint('red', 'FAILED', color) : paint('green', 'OK', color);
      this.log(`\n${verdict}: ${run.cases.length} case(s), ${run.passed} passed, ${run.failed} failed`);
    }
    return run;
  }
}

function describeResult(r: CaseResult, color: boolean): string {
  if (r.status === 'passed') return `${paint('green', '✓', color)} ${r.name} (${r.millis} ms)${r.updated ? ' — expectations rewritten' : ''}`;
  const lines = [`${paint('red', '✗', color)} ${r.name} (${r.file})`, `    ${r.reason ?? r.status}`];
  for (const m of r.mismatches.slice(0, 20)) {
    lines.push(
      `    at ${m.path}:`,
      `      ${paint('green', '- expected', color)} ${show(m.expected)}`,
      `      ${paint('red', '+ actual  ', color)} ${show(m.actual)}`,
    );
  }
  if (r.mismatches.length > 20) lines.push(`    … and ${r.mismatches.length - 20} more`);
  if (r.inside !== undefined) lines.push('    inside the graph:', ...r.inside.slice(0, 20).map((line) => `      ${line}`));
  return lines.join('\n');
}

function show(value: unknown): string {
  return value === undefined ? '(missing)' : JSON.stringify(value);
}
