/**
 * `aio emulate` as a service: picks the graph, prepares the run and drives it in one of three ways (a data folder,
 * the embedded broker, an external broker), reporting through `EmulateReporter`. It never ends the process: an
 * interrupt arrives as `signal`, and the command decides about a second one.
 */
import { join, relative } from 'node:path';
import { AioError } from '../errors.js';
import type { HasOperationStats, OperationStats } from '../engine/operation-stats.js';
import type { LogLevel, RunLog } from '../engine/run-log.js';
import { discoverGraphFiles } from '../graph/discover.js';
import { brokerConnection, checkTopics, embeddedCredentials, type BrokerFlagValues } from '../mqtt/broker-flags.js';
import type { BrokerLimits } from '../mqtt/broker-limits.js';
import { describeIncident } from '../mqtt/client-guard.js';
import { describeQueueDrops } from '../mqtt/session-queues.js';
import { startEmbeddedBroker } from '../mqtt/embedded-broker.js';
import { exampleTopic } from '../util/topic-filter.js';
import type { EmulatorBinding } from '../run/emulator-binding.js';
import type { Graph } from '../graph/model.js';
import type { BuiltinOptions } from '../builtins/builtin-transform.js';
import type { LoadedModule, RunPlan } from '../run/instantiate-run.js';
import { planRun, type PlanOptions } from '../run/prepare-run.js';
import type { RunControl } from './run-control.js';
import { followTags } from './watch/tag-follower.js';
import { openDebugging } from './debug/inspector.js';
import { terminalConsole } from './debug/stepper.js';
import type { RunLimits } from '../run/run-limits.js';
import { ConsoleLog } from './console-log.js';
import { FileLog } from './file-log.js';
import { checkDataFolder } from '../run/input-files.js';
import { startServers, type RunServers } from './server/run-servers.js';
import type { ListenAddress } from './server/listen-address.js';
import { RUN_RESTART, type MqttRunEvent } from './live-run.js';
import { runEmbedded } from './embedded-run.js';
import { GraphThread } from './graph-thread.js';
import { exposureWarnings } from './exposure-warning.js';

export interface EmulateOptions {
  binding: EmulatorBinding;
  /** `--param <operation>.<key>=<value>` overrides. */
  params: string[];
  /** Each module instance's call and start-up deadlines and memory cap. */
  limits: RunLimits;
  /** The data folder, for a data-folder run; otherwise MQTT. */
  data?: string | undefined;
  qos: 0 | 1;
  logLevel: LogLevel;
  /** The embedded broker's address, or `broker.broker` for an external one. */
  host: string;
  port: number;
  /** What each client of the embedded broker may make it hold. */
  brokerLimits?: BrokerLimits | undefined;
  broker: BrokerFlagValues;
  /** Aborted on an interrupt: stop taking input, drain, report. */
  signal: AbortSignal;
  /** `--trace`: each input's journey through the graph, to output/trace.jsonl (data folder) or `traceFile` (MQTT). */
  trace?: boolean;
  traceFile?: string | undefined;
  /** `--metrics`: serve /metrics for Prometheus here during a live run. */
  metrics?: ListenAddress | undefined;
  /** `--ui`: serve the dashboard (and /metrics) here during a live run. */
  ui?: ListenAddress | undefined;
  /** `--follow-tags`: poll the tags of pulled modules this often and swap in a module whose tag moved. */
  followTags?: { intervalMs: number } | undefined;
  /** `--inspect`: open Node's inspector here for a debugger. */
  inspect?: ListenAddress | undefined;
  /** `--break-on`: pause before each call of these operations when a debugger is attached (implies `inspect`). */
  breakOn?: readonly string[] | undefined;
  /** `--step`: stop before each item enters an operation; answers come from stdin. */
  step?: boolean;
  /** The run's plan, when the caller made it (`--watch` plans each run, to compare it with the next). */
  plan?: RunPlan | undefined;
  /** A pipeline's custom Graph nodes: `--graph-file <artifact>=<file>` values. */
  graphFiles?: readonly string[] | undefined;
  /** How a pipeline's built-in transforms read what the docs leave open. */
  builtinOptions?: BuiltinOptions | undefined;
  /**
   * false: what listens beyond loopback was said already (`--watch` says it for its first run only: a restart
   * serves the same addresses, and a warning repeated at each save reads as news). Default true.
   */
  warnExposure?: boolean | undefined;
}

/** Where the session's progress goes; the command decides how each reaches the user. */
export interface EmulateReporter {
  /** Progress a person reads (module loading, reconnects, draining); may be dropped under --json. */
  note(text: string): void;
  /** Lines scripts wait for (`broker: …`, `ready: …`): always written. */
  announce(text: string): void;
  /** A module log line of warn level or above, and every line of an MQTT run's console log. */
  logLine(text: string): void;
  /** The graph is taking input: the live view may start; `control` reaches the running graph (live runs). */
  started(engine: HasOperationStats, control?: RunControl): void;
  /** The dashboard is served at `url` (`--ui`). */
  dashboard?(url: string): void;
}

export type EmulateResult =
  | {
      mode: 'data';
      graph: string;
      inputFiles: number;
      sinkMessages: number;
      outputFile: string;
      logFile: string;
      traceFile?: string;
      operations: readonly OperationStats[];
      lines: string[];
    }
  | { mode: 'mqtt'; graph: string; broker: string; received: number; published: number; operations: readonly OperationStats[]; lines: string[] };

export async function emulate(options: EmulateOptions, reporter: EmulateReporter): Promise<EmulateResult> {
  // On the embedded broker the graph runs on a thread of its own: spawned now, it loads its code while this thread
  // reads the graph and starts the broker, instead of after (a good part of the start; see GraphThread).
  const thread = options.data === undefined && options.broker.broker === undefined ? GraphThread.spawn() : undefined;
  try {
    return await emulateOn(thread, options, reporter);
  } finally {
    await thread?.discard();
  }
}

async function emulateOn(thread: GraphThread | undefined, options: EmulateOptions, reporter: EmulateReporter): Promise<EmulateResult> {
  if (options.warnExposure !== false)
    for (const warning of exposureWarnings({ ui: options.ui, metrics: options.metrics, inspect: options.inspect })) reporter.note(warning);
  openDebugging(options, reporter);
  const { binding } = options;
  const graphFile = await graphFileOf(binding);
  if (options.data !== undefined) checkDataRun(options, options.data); // mistakes in the flags before the graph's
  const planOptions = planOptionsOf(options, graphFile);
  const plan = options.plan ?? (await planRun(planOptions));
  const { sourceTopics, sinkTopic, sinkLabel, pipeline } = runTopics(plan.graph, binding);
  const onModuleLoaded = (m: LoadedModule): void =>
    reporter.note(`module ${m.reference} ← ${m.path} (${m.cacheHit ? 'cached' : 'compiled'}, ${Math.round(m.millis)} ms)`);
  const instantiate = async (plan: RunPlan, log: RunLog) => (await import('../run/instantiate-run.js')).instantiateRun(plan, log, onModuleLoaded);
  if (binding.environment !== undefined) reporter.note(`environment ${binding.environment}: ${sourceTopics.join(', ')} → ${sinkLabel}`);

  if (options.data !== undefined) {
    const { OUTPUT_DIR, runDataFolder } = await import('./data-folder.js');
    const logFile = join(options.data, OUTPUT_DIR, 'logs', 'host-app.log');
    const log = new FileLog(logFile, options.logLevel, { level: 'warn', write: (e) => reporter.logLine(`${e.level}: [${e.operation}] ${e.message}`) });
    try {
      const prepared = await instantiate(plan, log);
      const folder = {
        dataDir: options.data,
        inputTopic: exampleTopic(sourceTopics[0]!),
        sinkTopic,
        qos: options.qos,
        trace: options.trace === true,
        step: options.step ? terminalConsole() : undefined,
        logFailure: () => log.failure,
      };
      const result = await runDataFolder(prepared, folder).finally(() => prepared.close());
      return {
        mode: 'data',
        graph: graphFile,
        inputFiles: result.inputFiles,
        sinkMessages: result.sinkMessages,
        outputFile: result.outputFile,
        logFile,
        ...(result.traceFile ? { traceFile: result.traceFile } : {}),
        operations: result.engine.stats,
        lines: [
          `${result.inputFiles} input file(s) → ${result.sinkMessages} sink message(s) in ${relative(process.cwd(), result.outputFile)}`,
          `log: ${relative(process.cwd(), logFile)}`,
          ...(result.traceFile
            ? [`trace: ${relative(process.cwd(), result.traceFile)} (read it with: aio trace ${relative(process.cwd(), result.traceFile)})`]
            : []),
        ],
      };
    } finally {
      await log.close();
    }
  }

  if (!pipeline) checkTopics(sourceTopics, sinkTopic); // a pipeline's topics were checked with its manifest
  const consoleLog = new ConsoleLog(options.logLevel, (line) => reporter.logLine(line));
  // The dashboard's server starts once the graph is known; from then on it sees the log too.
  let servers: RunServers | undefined;
  const log: RunLog = {
    minLevel: consoleLog.minLevel,
    write: (entry) => {
      consoleLog.write(entry);
      servers?.dashboard?.feed?.log(entry);
    },
  };
  const external = options.broker.broker;
  // The embedded broker's graph loads its modules on its worker thread, so here only what precedes the loading.
  const ready = external === undefined ? { kind: 'plan' as const, plan } : { kind: 'prepared' as const, prepared: await instantiate(plan, log) };
  const follower = options.followTags && followTags(plan, options.binding.registry, options.followTags.intervalMs, reporter);
  const credentials = external === undefined ? embeddedCredentials(options.broker) : undefined;
  const embedded =
    external === undefined
      ? await startEmbeddedBroker({
          host: options.host,
          port: options.port,
          limits: options.brokerLimits,
          credentials,
          onIncident: (incident) => log.write({ level: 'warn', operation: 'broker', context: 'host', message: describeIncident(incident), time: new Date() }),
          onQueueDrops: (drops) => log.write({ level: 'warn', operation: 'broker', context: 'host', message: describeQueueDrops(drops), time: new Date() }),
        })
      : undefined;
  const url = external ?? embedded!.url;
  reporter.announce(`broker: ${url}${embedded ? ' (embedded)' : ''}`);
  const broker = embedded && { host: options.host, port: embedded.port, credentials: credentials !== undefined };
  if (options.warnExposure !== false) for (const warning of exposureWarnings({ broker })) reporter.note(warning);
  try {
    servers = await startServers(options, plan.graph, reporter);
    const onEvent = (event: MqttRunEvent): void => {
      if (event.kind === 'subscribed') {
        for (const server of servers?.all ?? [])
          server.attach({ stats: event.engine.stats, moduleMetrics: event.moduleMetrics, inspect: event.control.inspect });
        reporter.announce(`ready: source ${event.topics.join(', ')} → sink ${sinkLabel}`);
        reporter.started(event.engine, event.control);
        follower?.start(event.control);
      } else {
        if (event.kind === 'interrupted') servers?.dashboard?.feed?.setState('stopping');
        reporter.note(describeEvent(event, options.signal.reason === RUN_RESTART));
      }
    };
    const common = {
      sourceTopics,
      sinkTopic,
      qos: options.qos,
      signal: options.signal,
      onEvent,
      traceFile: options.traceFile,
      inspect: options.ui !== undefined,
      step: options.step === true,
    };
    const result =
      ready.kind === 'plan'
        ? await runEmbedded({ ...common, plan: ready.plan, log, onModuleLoaded, broker: embedded!, thread })
        : // mqtt.js is loaded only here: the embedded broker's path does without it.
          await (
            await import('./mqtt-run.js')
          ).runMqtt({ ...common, prepared: ready.prepared, connection: brokerConnection(url, options.broker, ready.prepared.graph.metadata.name ?? 'graph') });
    return {
      mode: 'mqtt',
      graph: graphFile,
      broker: url,
      received: result.received,
      published: result.published,
      operations: result.engine.stats,
      lines: [`${result.received} message(s) received, ${result.published} published to ${sinkLabel}`],
    };
  } finally {
    follower?.stop();
    if (ready.kind === 'prepared') await ready.prepared.close();
    await Promise.all((servers?.all ?? []).map((server) => server.close()));
    await embedded?.close();
  }
}

/** A data-folder run takes no live-only flag, and its folder must be one. */
function checkDataRun(options: EmulateOptions, data: string): void {
  const liveOnly = options.ui !== undefined ? '--ui' : options.metrics !== undefined ? '--metrics' : options.followTags ? '--follow-tags' : undefined;
  if (liveOnly) {
    throw new AioError('AIO_EMULATE_LIVE_ONLY', `${liveOnly} works on a live run, and a --data run ends once its files are read`, {
      hint: 'Drop --data to run on MQTT (the embedded broker); to see inside a data-folder run use --trace (output/trace.jsonl, read by aio trace).',
    });
  }
  checkDataFolder(data);
}

function describeEvent(event: Exclude<MqttRunEvent, { kind: 'subscribed' }>, restarting: boolean): string {
  switch (event.kind) {
    case 'interrupted':
      return restarting
        ? `restarting: ${event.backlog} accepted message(s) not processed yet; processing them before the run starts again`
        : `interrupted: ${event.backlog} accepted message(s) not processed yet; processing them before stopping`;
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

/**
 * What planning a run of the graph takes from the options (also for --watch's re-planning). While debugging
 * (`--inspect`) module calls have no deadline: a call paused in the debugger would run past it.
 */
export function planOptionsOf(options: EmulateOptions, graphFile: string): PlanOptions {
  const { binding } = options;
  return {
    graphFile,
    pipeline: binding.pipeline,
    moduleDirs: binding.moduleDirs,
    registry: binding.registry,
    configuration: binding.configuration,
    params: options.params,
    limits: options.inspect === undefined ? options.limits : { ...options.limits, callDeadlineMs: 0 },
    breakOn: options.breakOn,
    graphFiles: options.graphFiles,
    builtinOptions: options.builtinOptions,
  };
}

/**
 * What a run subscribes to and where it says it publishes: a pipeline's own Source filters and Destination topics
 * (the binding's topics are a graph definition's, which has neither), else the binding's.
 */
function runTopics(graph: Graph, binding: EmulatorBinding): { sourceTopics: string[]; sinkTopic: string; sinkLabel: string; pipeline: boolean } {
  const { sinkTopic } = binding; // where an item without a destination topic goes (a WASM graph's raw bytes)
  const sources = graph.operations.flatMap((op) => (op.native?.kind === 'source' ? op.native.filters : []));
  if (sources.length === 0) return { sourceTopics: binding.sourceTopics, sinkTopic, sinkLabel: sinkTopic, pipeline: false };
  const destinations = graph.operations.flatMap((op) => (op.native?.kind === 'destination' ? [op.native.topic] : []));
  return { sourceTopics: [...new Set(sources)], sinkTopic, sinkLabel: destinations.join(', '), pipeline: true };
}

/** The graph named, else the one graph file in the current folder. */
export async function graphFileOf(binding: EmulatorBinding): Promise<string> {
  return binding.graphFile ?? (await defaultGraph());
}

/** Without a graph argument: the one graph file in the current folder. */
async function defaultGraph(): Promise<string> {
  const { files } = await discoverGraphFiles(['.']);
  const here = files.filter((f) => !f.includes('/'));
  if (here.length === 1) return here[0]!;
  throw new AioError(
    'AIO_EMULATE_NO_GRAPH',
    here.length === 0 ? 'no graph definition in the current folder' : `several graph definitions here: ${here.join(', ')}`,
    {
      hint: 'name the graph file: aio emulate graph.dataflow.yaml',
    },
  );
}
