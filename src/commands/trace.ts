import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../cli/base-command.js';
import { ExitCode } from '../errors.js';
import { readTrace, selectJourneys } from '../emulator/trace-file.js';
import type { Journey, Outcome, TraceStep } from '../emulator/tracer.js';

const OUTCOMES: Outcome[] = ['passed', 'routed', 'delayed', 'folded', 'emitted', 'filtered', 'dropped', 'error', 'sink'];

export default class Trace extends AioCommand {
  static override summary = 'Show messages’ journeys through the graph, from a trace written by aio emulate --trace.';
  static override description = `Each journey is one input message: every operation it entered, with the outcome (passed, routed to
an arm, delayed, folded into a window, emitted as a window result, filtered, dropped with the reason, error with
the module's message, reached the sink) and the time in the module. Without a filter, one line per message
says where each of its paths ended. With --input, or a filter, the matching journeys are shown step by step.
Exit status: 0 when a journey matched, 3 when none did.`;

  static override examples = [
    { description: 'Where did every message end?', command: '<%= config.bin %> <%= command.id %> data/output/trace.jsonl' },
    { description: 'One input file’s journey', command: '<%= config.bin %> <%= command.id %> data/output/trace.jsonl --input message_3.json' },
    { description: 'Every message that was dropped, with the reason', command: '<%= config.bin %> <%= command.id %> data/output/trace.jsonl --dropped' },
    { description: 'Every message that ended at one operation', command: '<%= config.bin %> <%= command.id %> trace.jsonl --at module-window/accumulate' },
  ];

  static override args = {
    file: Args.string({ description: 'the trace: output/trace.jsonl of a data-folder run, or a --trace-file', required: true }),
  };

  static override flags = {
    input: Flags.string({ description: 'the journey of this input (its file name in the data folder, its MQTT topic, or its __ts)' }),
    at: Flags.string({ description: 'journeys with a path that ended at this operation' }),
    outcome: Flags.option({ options: OUTCOMES, description: 'journeys with a path that ended in this outcome' })(),
    dropped: Flags.boolean({ description: 'journeys where the graph dropped the message (filtered out included)' }),
    errors: Flags.boolean({ description: 'journeys where a module failed on the message' }),
  };

  async run(): Promise<{ file: string; journeys: Journey[] }> {
    const { args, flags } = await this.parse(Trace);
    const query = { input: flags.input, at: flags.at, outcome: flags.outcome, dropped: flags.dropped, errors: flags.errors };
    const journeys = selectJourneys(await readTrace(args.file), query);
    const detailed = Object.values(query).some((value) => value !== undefined && value !== false);
    for (const journey of journeys) this.log(detailed ? describeJourney(journey) : summaryLine(journey));
    if (journeys.length === 0) {
      this.logToStderr('no journey matched');
      process.exitCode = ExitCode.invalidInput;
    }
    return { file: args.file, journeys };
  }
}

function summaryLine(journey: Journey): string {
  const ends = journey.ends.map(describeEnd).join('; ') || 'still in the graph (held by a concatenate)';
  return `${journey.input}  →  ${ends}`;
}

function describeJourney(journey: Journey): string {
  const width = Math.max(...journey.steps.map((s) => s.operation.length), 9);
  const lines = [`${journey.input}${journey.ts ? `  (__ts ${journey.ts})` : ''}`];
  for (const step of journey.steps)
    lines.push(`  ${step.operation.padEnd(width)}  ${describeStep(step)}${step.micros === undefined ? '' : `  (${step.micros} µs)`}`);
  return `${lines.join('\n')}\n`;
}

function describeEnd(step: TraceStep): string {
  return `${describeStep(step)} at ${step.operation}`;
}

function describeStep(step: TraceStep): string {
  switch (step.outcome) {
    case 'routed':
      return `routed to arm ${step.arm}`;
    case 'delayed':
      return `delayed to ${step.at}`;
    case 'folded':
      return `folded into window ${step.at}`;
    case 'emitted':
      return `emitted window ${step.at}`;
    case 'filtered':
      return 'filtered out';
    case 'dropped':
      return `dropped: ${step.reason}`;
    case 'error':
      return `error: ${step.reason}`;
    case 'sink':
      return 'reached the sink';
    default:
      return step.outcome;
  }
}
