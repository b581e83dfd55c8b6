import { Flags } from '@oclif/core';
import { AioCommand } from '../cli/base-command.js';
import { brokerConnectionFlags } from '../cli/broker-flags.js';
import { AioError } from '../errors.js';
import { brokerConnection, PASSWORD_ENV } from '../mqtt/broker-flags.js';
import { recordFromBroker } from '../record/record-broker.js';
import { checkCasesTarget, writeRecordedCase } from '../record/write-cases.js';
import { writeDataFolder } from '../record/write-data-folder.js';
import { parseDuration } from '../util/units.js';
import { CASES_FILE } from '../testing/case-file.js';

export interface RecordResult {
  messages: number;
  stoppedBy: 'count' | 'duration' | 'interrupt';
  /** The data folder or cases file written. */
  written: string;
}

export default class Record extends AioCommand {
  static override summary = 'Record what arrives on a broker as a data folder or as a test case, to replay it with aio emulate or aio test.';
  static override description = `Subscribes to --topic on --broker (QoS 1, a clean session) and keeps every message: payload, topic, MQTT 5
user properties (with __ts, the AIO timestamp), content type. Stops after --count messages, after --for, or on Ctrl+C.
  --out <folder>     one file per message (message_<n>.json|.txt|.bin) plus .aio-messages.json with each file's
                     topic, user properties and content type: aio emulate --data <folder> sends them again.
  --cases <file>     one case appended to a *.cases.yaml (created with --graph): its input is the recording, its
                     expect.sink is empty; aio test --update <file> then writes what the graph produces.
The broker password is read from ${PASSWORD_ENV}.`;

  static override examples = [
    {
      description: 'Record 20 messages into a data folder',
      command: '<%= config.bin %> <%= command.id %> --broker mqtt://127.0.0.1:1883 --topic "sensors/#" --count 20 --out data/recorded',
    },
    {
      description: 'Ten minutes of production traffic as a golden test, in two commands',
      command: `${PASSWORD_ENV}=… <%= config.bin %> <%= command.id %> --broker mqtts://broker.prod:8883 --username reader --ca-file ca.pem --topic "factory/+/telemetry" --for 10m --cases tests/prod.cases.yaml --graph pipeline.dataflowgraph.yaml && <%= config.bin %> test tests/prod.cases.yaml --update`,
    },
  ];

  static override flags = {
    broker: Flags.string({ description: 'the broker to record from: mqtt[s]://host:port', required: true }),
    topic: Flags.string({ description: 'MQTT topic filter to record (repeatable)', multiple: true, required: true }),
    count: Flags.integer({ description: 'stop after this many messages', min: 1 }),
    for: Flags.string({ description: 'stop after this long (e.g. 30s, 10m)' }),
    out: Flags.string({ description: 'write a data folder here', exactlyOne: ['out', 'cases'] }),
    cases: Flags.string({ description: 'append a case to this *.cases.yaml file', exactlyOne: ['out', 'cases'] }),
    graph: Flags.string({ description: 'the graph definition or pipeline manifest a new --cases file tests', dependsOn: ['cases'] }),
    name: Flags.string({ description: 'name of the recorded case (default: recorded <time> from <broker>)', dependsOn: ['cases'] }),
    ...brokerConnectionFlags,
    'client-id': Flags.string({ description: 'MQTT client id (default: aio-record-<random>)' }),
  };

  async run(): Promise<RecordResult> {
    const { flags } = await this.parse(Record);
    const durationMs = flags.for === undefined ? undefined : parseDuration(flags.for, '--for');
    if (durationMs === 0) throw new AioError('AIO_LIMIT_INVALID', '--for 0 would record nothing', { hint: 'give a duration such as 30s or 10m' });
    if (flags.cases !== undefined && !CASES_FILE.test(flags.cases))
      throw new AioError('AIO_RECORD_CASES_NAME', `--cases ${flags.cases} does not end in .cases.yaml`, { hint: 'aio test finds cases files by that name' });
    if (flags.cases !== undefined) checkCasesTarget({ file: flags.cases, graph: flags.graph });
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const started = new Date();
      const recording = await recordFromBroker(brokerConnection(flags.broker, flags, 'record', 'aio-record'), {
        topics: flags.topic,
        count: flags.count,
        durationMs,
        signal: controller.signal,
        // On stderr, also under --json: a script (or a test) starts publishing once it reads this line.
        onSubscribed: () => void process.stderr.write(`recording ${flags.topic.join(', ')} from ${flags.broker}\n`),
        onMessage: (message, total) => {
          if (!this.jsonEnabled()) process.stderr.write(`  ${total}: ${message.topic} (${message.payload.byteLength} bytes)\n`);
        },
      });
      let written: string;
      if (flags.out !== undefined) {
        await writeDataFolder(flags.out, recording.messages);
        written = flags.out;
      } else {
        written = flags.cases!;
        const caseName = flags.name ?? `recorded ${started.toISOString().slice(0, 19)}Z from ${flags.broker}`;
        await writeRecordedCase({ file: written, graph: flags.graph, caseName }, recording.messages);
      }
      this.log(`${recording.messages.length} message(s) recorded (${recording.stoppedBy}) into ${written}`);
      return { messages: recording.messages.length, stoppedBy: recording.stoppedBy, written };
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
