import { join, relative } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../cli/base-command.js';
import { AioError } from '../errors.js';
import { discoverGraphFiles } from '../graph/discover.js';
import type { HasOperationStats } from '../engine/operation-stats.js';
import { brokerConnection, checkTopics, PASSWORD_ENV } from '../mqtt/broker-flags.js';
import { ConsoleLog } from '../emulator/console-log.js';
import { startEmbeddedBroker } from '../mqtt/embedded-broker.js';
import { FileLog } from '../emulator/file-log.js';
import { LiveStatus } from '../emulator/live-status.js';
import type { MqttRunEvent } from '../emulator/live-run.js';
import { runEmbedded } from '../emulator/embedded-run.js';
import type { LoadedModule } from '../run/instantiate-run.js';
import { planRun, prepareRun } from '../run/prepare-run.js';
import { moduleRegistry, moduleRegistryFlag } from '../cli/module-registry.js';
import { projectFlags } from '../cli/project-flags.js';
import { emulatorBinding } from '../run/emulator-binding.js';
import { summaryTable } from '../emulator/summary-table.js';
import { exampleTopic } from '../mqtt/topic-filter.js';
import { LOG_LEVELS, type RunLog } from '../engine/run-log.js';

export default class Emulate extends AioCommand {
  static override summary = 'Run a graph locally with the same .wasm modules the cluster runs: no Docker.';
  static override description = `Two ways to feed it:
  --data <folder>   every file in the folder is one message; sink messages go to <folder>/output/<date-time>.txt as
                    JSON lines (mosquitto_sub -F %j style), the log to <folder>/output/logs/host-app.log. Ends when all
                    input is processed and every window has closed, and prints a summary per operation.
  MQTT (default)    starts an embedded MQTT 5 broker on 127.0.0.1:1883 (--port; 0 picks a free port), or connects to
                    --broker. The source subscribes to --source-topic, the sink publishes to --sink-topic; MQTT 5
                    properties travel from source to sink; QoS 1 end to end. Ctrl+C stops taking input, drains what is
                    in flight and exits 0.
Modules are found from each operation's module reference: --modules folders (<name>.wasm), then the workspace
(operators/<name>/bin/release/<name>.wasm, bin/<arch>/release/, bin/debug/). Beside the graph, statestore.json seeds
the state store and hostapp.env.list sets TK_SCHEMA_CONFIG_PATH (payload schema) and TK_CONFIGURATION_PARAMETERS
(JSON: {"<operation>": {"<key>": "<value>"}}); --param overrides both. The broker password is read from ${PASSWORD_ENV}.`;

  static override examples = [
    { description: 'Run the thermostat example on its data folder', command: '<%= config.bin %> <%= command.id %> examples/thermostat/graph.dataflow.yaml --data examples/thermostat/data' },
    { description: 'Run with the embedded broker on a free port', command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --port 0 --source-topic "factory/+/telemetry" --sink-topic processed/telemetry' },
    { description: 'Use an existing broker with TLS', command: `${PASSWORD_ENV}=… <%= config.bin %> <%= command.id %> graph.dataflow.yaml --broker mqtts://broker.local:8883 --username edge --ca-file ca.pem` },
    { description: 'Pull modules the workspace has not built from a registry', command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --data data --registry myacr.azurecr.io' },
    { description: 'Run with the topics, configuration and registry of the local environment in aio.yaml', command: '<%= config.bin %> <%= command.id %> --env local --data data' },
    { description: 'Override a parameter', command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --data data --param module-thermostat/filter.temperature_upper_bound=40' },
  ];

  static override args = {
    graph: Args.string({ description: 'the graph definition (default: the one graph file in the current folder)' }),
  };

  static override flags = {
    data: Flags.string({ description: 'data folder: one input message per file, output to <folder>/output/' }),
    modules: Flags.string({ description: 'folder holding <module>.wasm files, searched first (repeatable)', multiple: true, default: [] }),
    registry: moduleRegistryFlag,
    param: Flags.string({ description: '<operation>.<key>=<value> parameter override (repeatable)', multiple: true, default: [] }),
    'source-topic': Flags.string({ description: 'MQTT topic filter the source subscribes to (repeatable; default: the environment’s, else sensors/#)', multiple: true }),
    'sink-topic': Flags.string({ description: 'MQTT topic the sink publishes to (default: the environment’s, else processed)' }),
    ...projectFlags,
    qos: Flags.integer({ description: 'MQTT QoS for source and sink', options: ['0', '1'], default: 1 }),
    port: Flags.integer({ description: 'port of the embedded broker (0: a free port)', default: 1883, min: 0, max: 65535 }),
    host: Flags.string({ description: 'address the embedded broker binds to', default: '127.0.0.1' }),
    broker: Flags.string({ description: 'use this broker instead of the embedded one: mqtt[s]://host:port' }),
    username: Flags.string({ description: `MQTT username (the password comes from ${PASSWORD_ENV})` }),
    'ca-file': Flags.string({ description: 'PEM CA certificate(s) to trust for mqtts://' }),
    'cert-file': Flags.string({ description: 'PEM client certificate for mqtts://' }),
    'key-file': Flags.string({ description: 'PEM client key for mqtts://' }),
    insecure: Flags.boolean({ description: 'do not verify the broker certificate (local test brokers only)' }),
    'client-id': Flags.string({ description: 'MQTT client id (default: aio-emulate-<graph>-<random>)' }),
    'log-level': Flags.option({ options: LOG_LEVELS, description: 'lowest module/host log level recorded', default: 'info' as const })(),
  };

  async run(): Promise<Record<string, unknown>> {
    const { args, flags } = await this.parse(Emulate);
    const binding = await emulatorBinding({
      project: flags.project,
      env: flags.env,
      graph: flags.graph,
      graphArg: args.graph,
      sourceTopics: flags['source-topic'],
      sinkTopic: flags['sink-topic'],
      moduleDirs: flags.modules,
      registry: moduleRegistry(flags.registry),
    });
    const graphFile = binding.graphFile ?? (await defaultGraph());
    const { sourceTopics, sinkTopic } = binding;
    const interactive = process.stderr.isTTY === true && !this.jsonEnabled();
    const status = new LiveStatus(process.stderr, interactive);
    const note = (text: string) => {
      if (!this.jsonEnabled()) status.line(text);
    };
    const onModuleLoaded = (m: LoadedModule) => note(`module ${m.reference} ← ${m.path} (${m.cacheHit ? 'cached' : 'compiled'}, ${Math.round(m.millis)} ms)`);
    const planOptions = { graphFile, moduleDirs: binding.moduleDirs, registry: binding.registry, configuration: binding.configuration, params: flags.param };
    const prepare = (log: RunLog) => prepareRun({ ...planOptions, log, onModuleLoaded });
    if (binding.environment !== undefined) note(`environment ${binding.environment}: ${sourceTopics.join(', ')} → ${sinkTopic}`);

    if (flags.data !== undefined) {
      const { OUTPUT_DIR, runDataFolder } = await import('../emulator/data-folder.js');
      const logFile = join(flags.data, OUTPUT_DIR, 'logs', 'host-app.log');
      const log = new FileLog(logFile, flags['log-level'], { level: 'warn', write: (e) => note(`${e.level}: [${e.operation}] ${e.message}`) });
      try {
        const prepared = await prepare(log);
        const result = await runDataFolder(prepared, {
          dataDir: flags.data,
          inputTopic: exampleTopic(sourceTopics[0]!),
          sinkTopic: sinkTopic,
          qos: flags.qos as 0 | 1,
        });
        this.report(result.engine, [
          `${result.inputFiles} input file(s) → ${result.sinkMessages} sink message(s) in ${relative(process.cwd(), result.outputFile)}`,
          `log: ${relative(process.cwd(), logFile)}`,
        ]);
        return { mode: 'data', graph: graphFile, inputFiles: result.inputFiles, sinkMessages: result.sinkMessages, outputFile: result.outputFile, logFile, operations: result.engine.stats };
      } finally {
        await log.close();
      }
    }

    checkTopics(sourceTopics, sinkTopic);
    const log: RunLog = new ConsoleLog(flags['log-level'], (line) => (this.jsonEnabled() ? process.stderr.write(`${line}\n`) : status.line(line)));
    // The embedded broker's graph loads its modules on its worker thread, so here only what precedes the loading.
    const ready = flags.broker === undefined ? { kind: 'plan' as const, plan: await planRun(planOptions) } : { kind: 'prepared' as const, prepared: await prepare(log) };
    const embedded = flags.broker === undefined ? await startEmbeddedBroker(flags.host, flags.port) : undefined;
    const url = flags.broker ?? embedded!.url;
    // Always on stderr, also under --json: scripts and tests wait for this line to know the port.
    process.stderr.write(`broker: ${url}${embedded ? ' (embedded)' : ''}\n`);
    const controller = new AbortController();
    let interrupts = 0;
    const onSignal = () => {
      if (++interrupts > 1) process.exit(130); // a second Ctrl+C does not wait for the drain
      note('stopping: no new input; draining what is in flight (Ctrl+C again to quit at once)');
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const onEvent = (event: MqttRunEvent) => {
        if (event.kind === 'subscribed') {
          process.stderr.write(`ready: source ${event.topics.join(', ')} → sink ${sinkTopic}\n`);
          status.start(event.engine);
        } else note(describeEvent(event));
      };
      const common = { sourceTopics, sinkTopic, qos: flags.qos as 0 | 1, signal: controller.signal, onEvent };
      const result =
        ready.kind === 'plan'
          ? await runEmbedded({ ...common, plan: ready.plan, log, onModuleLoaded, broker: embedded! })
          : // mqtt.js is loaded only here: the embedded broker's path does without it.
            await (await import('../emulator/mqtt-run.js')).runMqtt({ ...common, prepared: ready.prepared, connection: brokerConnection(url, flags, ready.prepared.graph.metadata.name ?? 'graph') });
      status.stop();
      this.report(result.engine, [`${result.received} message(s) received, ${result.published} published to ${sinkTopic}`]);
      return { mode: 'mqtt', graph: graphFile, broker: url, received: result.received, published: result.published, operations: result.engine.stats };
    } finally {
      status.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await embedded?.close();
    }
  }

  private report(engine: HasOperationStats, lines: string[]): void {
    if (this.jsonEnabled()) return;
    for (const line of lines) this.log(line);
    this.log('');
    this.log(summaryTable(engine.stats));
  }
}

function describeEvent(event: Exclude<MqttRunEvent, { kind: 'subscribed' }>): string {
  switch (event.kind) {
    case 'connection-lost':
      return `warning: connection to the broker lost (${event.reason}); retrying`;
    case 'reconnecting':
      return `reconnecting to the broker (next try in ${Math.round(event.delayMs / 1000)} s)`;
    case 'reconnected':
      return 'reconnected to the broker; unacknowledged messages are redelivered';
    case 'draining':
      return `draining: ${event.pending} output message(s) awaiting the broker's acknowledgement`;
  }
}

async function defaultGraph(): Promise<string> {
  const { files } = await discoverGraphFiles(['.']);
  const here = files.filter((f) => !f.includes('/'));
  if (here.length === 1) return here[0]!;
  throw new AioError('AIO_EMULATE_NO_GRAPH', here.length === 0 ? 'no graph definition in the current folder' : `several graph definitions here: ${here.join(', ')}`, {
    hint: 'name the graph file: aio emulate graph.dataflow.yaml',
  });
}
