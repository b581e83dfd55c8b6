import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../cli/base-command.js';
import { AioError, ExitCode } from '../errors.js';
import { parseDuration } from '../util/units.js';
import { moduleRegistry, moduleRegistryFlag } from '../cli/module-registry.js';
import { projectFlags } from '../cli/project-flags.js';
import { limitFlags, runLimits } from '../cli/limit-flags.js';
import { builtinOptionsOf, pipelineFlags } from '../cli/pipeline-flags.js';
import { isSupervised, listenToSupervisor, runSupervised } from '../cli/supervisor.js';
import { brokerLimitFlags, brokerLimits } from '../cli/broker-limit-flags.js';
import { parseListenAddress } from '../emulator/server/listen-address.js';
import { looksLikeListenAddress, withDefaultValues } from '../cli/optional-value-flags.js';
import { openInBrowser } from '../cli/open-browser.js';
import { INSPECT_DEFAULT_ADDRESS } from '../emulator/debug/inspector.js';
import { DEFAULT_FOLLOW_INTERVAL_MS } from '../emulator/watch/tag-follower.js';
import { LOG_LEVELS } from '../engine/run-log.js';
import type { EmulateResult } from '../emulator/emulate-session.js';
import { GraphThread } from '../emulator/graph-thread.js';
import { LiveStatus } from '../emulator/live-status.js';
import { summaryTable } from '../emulator/summary-table.js';
import { PASSWORD_ENV } from '../mqtt/broker-flags.js';
import { brokerConnectionFlags } from '../cli/broker-flags.js';

const UI_DEFAULT_ADDRESS = '127.0.0.1:0';

function followInterval(text: string | undefined): number {
  if (text === undefined) return DEFAULT_FOLLOW_INTERVAL_MS;
  const ms = parseDuration(text, '--follow-interval');
  if (ms < 100) throw new AioError('AIO_LIMIT_INVALID', `--follow-interval ${text} is too short`, { hint: 'Poll at most ten times a second: 100ms or more.' });
  return ms;
}

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
    {
      description: 'Run the thermostat example on its data folder',
      command: '<%= config.bin %> <%= command.id %> examples/thermostat/graph.dataflow.yaml --data examples/thermostat/data',
    },
    {
      description: 'Run a DataflowGraph pipeline (built-in transforms and custom graphs) on the embedded broker',
      command: '<%= config.bin %> <%= command.id %> examples/thermostat/pipeline.dataflowgraph.yaml --port 0',
    },
    {
      description: 'Run with the embedded broker on a free port',
      command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --port 0 --source-topic "factory/+/telemetry" --sink-topic processed/telemetry',
    },
    {
      description: 'Watch it in the browser: the graph with live counts, the last messages of each operation, the log, the state store',
      command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --ui --open',
    },
    {
      description: 'Serve the dashboard on a fixed port, reachable from other machines',
      command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --ui 0.0.0.0:8080',
    },
    {
      description: 'Edit an operator while the graph runs: each save rebuilds it and swaps the new module in',
      command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --watch',
    },
    {
      description: 'Take modules pushed again to the same tag, as a cluster graph does',
      command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --registry myacr.azurecr.io --follow-tags --follow-interval 10s',
    },
    {
      description: 'Debug an operator: attach VS Code to the inspector; the run pauses before each call of the filter',
      command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --data data --inspect --break-on module-thermostat/filter',
    },
    {
      description: 'Step through the data folder message by message, operation by operation',
      command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --data data --step',
    },
    {
      description: 'Let Prometheus scrape per-operation counts, call times and module metrics',
      command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --metrics 127.0.0.1:9464',
    },
    {
      description: 'Bound each module call more tightly, and give instances more memory',
      command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --data data --call-deadline 500ms --memory-limit 1GiB',
    },
    {
      description: 'Use an existing broker with TLS',
      command: `${PASSWORD_ENV}=… <%= config.bin %> <%= command.id %> graph.dataflow.yaml --broker mqtts://broker.local:8883 --username edge --ca-file ca.pem`,
    },
    {
      description: 'Pull modules the workspace has not built from a registry',
      command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --data data --registry myacr.azurecr.io',
    },
    {
      description: 'Run with the topics, configuration and registry of the local environment in aio.yaml',
      command: '<%= config.bin %> <%= command.id %> --env local --data data',
    },
    {
      description: 'Override a parameter',
      command: '<%= config.bin %> <%= command.id %> graph.dataflow.yaml --data data --param module-thermostat/filter.temperature_upper_bound=40',
    },
  ];

  static override args = {
    graph: Args.string({
      description: 'the graph definition, or a DataflowGraph manifest (Kubernetes or ARM) (default: the one graph file in the current folder)',
    }),
  };

  static override flags = {
    data: Flags.string({ description: 'data folder: one input message per file, output to <folder>/output/' }),
    modules: Flags.string({ description: 'folder holding <module>.wasm files, searched first (repeatable)', multiple: true, default: [] }),
    registry: moduleRegistryFlag,
    param: Flags.string({ description: '<operation>.<key>=<value> parameter override (repeatable)', multiple: true, default: [] }),
    'source-topic': Flags.string({
      description: 'MQTT topic filter the source subscribes to (repeatable; default: the environment’s, else sensors/#)',
      multiple: true,
    }),
    'sink-topic': Flags.string({ description: 'MQTT topic the sink publishes to (default: the environment’s, else processed)' }),
    ...projectFlags,
    qos: Flags.integer({ description: 'MQTT QoS for source and sink', options: ['0', '1'], default: 1 }),
    port: Flags.integer({ description: 'port of the embedded broker (0: a free port)', default: 1883, min: 0, max: 65535 }),
    host: Flags.string({ description: 'address the embedded broker binds to (beyond loopback, a warning says so)', default: '127.0.0.1' }),
    broker: Flags.string({ description: 'use this broker instead of the embedded one: mqtt[s]://host:port' }),
    ...brokerConnectionFlags,
    username: Flags.string({
      description: `MQTT username for --broker, or the one the embedded broker requires of its clients (the password comes from ${PASSWORD_ENV})`,
    }),
    'client-id': Flags.string({ description: 'MQTT client id (default: aio-emulate-<graph>-<random>)' }),
    'log-level': Flags.option({ options: LOG_LEVELS, description: 'lowest module/host log level recorded', default: 'info' as const })(),
    ...limitFlags,
    ...pipelineFlags,
    ...brokerLimitFlags,
    trace: Flags.boolean({ description: "record each input message's journey through the graph: a data-folder run writes output/trace.jsonl" }),
    'trace-file': Flags.string({ description: 'MQTT runs: append each journey to this file (JSON lines; implies --trace)' }),
    metrics: Flags.string({
      description: 'serve Prometheus metrics at http://<host:port>/metrics during an MQTT run (e.g. 127.0.0.1:9464; port 0: a free one)',
    }),
    ui: Flags.string({
      description: `serve a live dashboard during an MQTT run (and /metrics beside it); alone: ${UI_DEFAULT_ADDRESS}, a free port; the address is printed`,
    }),
    open: Flags.boolean({ description: 'open the --ui page in the browser (only in a terminal)', dependsOn: ['ui'] }),
    'follow-tags': Flags.boolean({
      description: 'poll the tags of modules pulled from --registry and swap in a module whose tag moved to a new digest, as the cluster does',
    }),
    'follow-interval': Flags.string({ description: 'how often --follow-tags polls (e.g. 10s, 1m; default 30s)', dependsOn: ['follow-tags'] }),
    inspect: Flags.string({
      description: `open Node's inspector for VS Code or Chrome DevTools (alone: ${INSPECT_DEFAULT_ADDRESS}); module calls then have no deadline`,
    }),
    'break-on': Flags.string({
      description: "pause before each call of this operation's module when a debugger is attached (implies --inspect; repeatable)",
      multiple: true,
    }),
    step: Flags.boolean({
      description: 'stop before each item enters an operation, show it, then what the operation returned (Enter: next; c: run on)',
    }),
    watch: Flags.boolean({
      description: 'rebuild an operator when its source is saved and swap it into the running graph; apply graph and statestore.json changes',
    }),
  };

  async run(): Promise<Omit<EmulateResult, 'lines'> | undefined> {
    this.argv = withDefaultValues(this.argv, [
      { name: 'ui', fallback: UI_DEFAULT_ADDRESS, looksLikeValue: looksLikeListenAddress },
      { name: 'inspect', fallback: INSPECT_DEFAULT_ADDRESS, looksLikeValue: looksLikeListenAddress },
    ]);
    const { args, flags } = await this.parse(Emulate);
    // A live run on the embedded broker runs its graph on a thread of its own: spawned now, the thread loads its code
    // while this one loads the rest (graph-thread.ts), which is why the session and the binding are imported here.
    if (flags.data === undefined && flags.broker === undefined) GraphThread.spawnSpare();
    const [{ emulatorBinding }, { emulate }] = await Promise.all([import('../run/emulator-binding.js'), import('../emulator/emulate-session.js')]);
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
    const limits = runLimits(flags, binding.settings);
    const inspecting = flags.inspect !== undefined || flags['break-on'] !== undefined;
    // Modules on this thread (no deadline, or a debugger): a supervisor must hear the interrupts (supervisor.ts).
    if ((limits.callDeadlineMs <= 0 || inspecting) && !isSupervised()) {
      await GraphThread.discardSpare(); // the graph runs in the supervised child
      process.exitCode = await runSupervised();
      return undefined;
    }
    const json = this.jsonEnabled();
    const status = new LiveStatus(process.stderr, process.stderr.isTTY === true && !json);
    const controller = new AbortController();
    let interrupts = 0;
    const quit = (): never => process.exit(ExitCode.stopped);
    const onSignal = (): void => {
      if (++interrupts > 1) quit(); // a second Ctrl+C does not wait for the drain
      if (!json) status.line('stopping: no new input; draining what is in flight (Ctrl+C again to quit at once)');
      controller.abort();
    };
    const stopListening = isSupervised() ? listenToSupervisor({ interrupt: onSignal, quit }) : undefined;
    if (!stopListening) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    const printResult = (lines: string[], operations: EmulateResult['operations']): void => {
      if (json) return;
      for (const line of lines) this.log(line);
      this.log('');
      this.log(summaryTable(operations));
    };
    try {
      // --watch's code (the builder, the file watcher) is loaded only for a watching run: every start paid for it.
      const run = flags.watch ? (await import('../emulator/watch/watch-session.js')).emulateWatching : emulate;
      const { lines, ...result } = await run(
        {
          binding,
          params: flags.param,
          limits,
          graphFiles: flags['graph-file'],
          builtinOptions: builtinOptionsOf(flags),
          trace: flags.trace || flags['trace-file'] !== undefined,
          traceFile: flags['trace-file'],
          metrics: flags.metrics === undefined ? undefined : parseListenAddress(flags.metrics, '--metrics'),
          ui: flags.ui === undefined ? undefined : parseListenAddress(flags.ui, '--ui'),
          followTags: flags['follow-tags'] ? { intervalMs: followInterval(flags['follow-interval']) } : undefined,
          inspect: inspecting ? parseListenAddress(flags.inspect ?? INSPECT_DEFAULT_ADDRESS, '--inspect') : undefined,
          breakOn: flags['break-on'] ?? [],
          step: flags.step,
          data: flags.data,
          qos: flags.qos as 0 | 1,
          logLevel: flags['log-level'],
          host: flags.host,
          port: flags.port,
          brokerLimits: brokerLimits(flags, binding.settings),
          broker: flags,
          signal: controller.signal,
        },
        {
          note: (text) => (json ? void process.stderr.write(`${text}\n`) : status.line(text)),
          // Always on stderr, also under --json: scripts and tests wait for these lines (the port, readiness).
          announce: (text) => void process.stderr.write(`${text}\n`),
          logLine: (text) => (json ? void process.stderr.write(`${text}\n`) : status.line(text)),
          started: (engine) => status.start(engine),
          dashboard: (url) => {
            if (flags.open && process.stdout.isTTY && !json) openInBrowser(url, (text) => status.line(text));
          },
          // --watch: each run's summary as it ends (a data-folder pass, or a live run before a restart).
          result: (ended: EmulateResult) => {
            status.stop();
            printResult(ended.lines, ended.operations);
          },
        },
      );
      status.stop();
      if (!flags.watch) printResult(lines, result.operations);
      return result;
    } finally {
      status.stop();
      stopListening?.();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
