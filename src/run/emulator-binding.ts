import { moduleRegistryAt, type ModuleRegistry } from './resolve-module.js';
import { AioError } from '../errors.js';
import { remoteLimits } from '../util/remote-limits.js';
import { findProjectFile, loadProject, selectEnvironment, selectGraph } from '../project/load-project.js';
import { bindPipeline, runsPipeline } from '../project/bind-pipeline.js';
import type { Manifest } from '../pipeline/model.js';
import { DEFAULT_SINK_TOPIC, DEFAULT_SOURCE_TOPICS, type EmulatorSettings } from '../project/model.js';

/** What `aio emulate` runs with, after aio.yaml's environment and the flags are combined (flags win). */
export interface EmulatorBinding {
  graphFile: string | undefined;
  /** The environment's pipeline, bound (`graphFile` is its manifest): run instead of reading the file. */
  pipeline: Manifest | undefined;
  sourceTopics: string[];
  sinkTopic: string;
  moduleDirs: string[];
  registry: ModuleRegistry | undefined;
  configuration: Array<{ key: string; value: string }>;
  environment: string | undefined;
  /** aio.yaml's `emulator:` limits, when aio.yaml was read. */
  settings: EmulatorSettings;
}

export interface EmulatorFlags {
  project?: string | undefined;
  env?: string | undefined;
  graph?: string | undefined;
  graphArg?: string | undefined;
  sourceTopics?: string[] | undefined;
  sinkTopic?: string | undefined;
  moduleDirs: string[];
  registry: ModuleRegistry | undefined;
}

/**
 * With `--env`, the environment's topics, configuration, registry and module folders are what the emulator runs
 * with, exactly as they bind a deployment; explicit flags still win. Without it, aio.yaml is not read.
 */
export async function emulatorBinding(flags: EmulatorFlags): Promise<EmulatorBinding> {
  const fromFlags = (topics: string[], sink: string) => ({
    sourceTopics: flags.sourceTopics?.length ? flags.sourceTopics : topics,
    sinkTopic: flags.sinkTopic ?? sink,
  });
  if (flags.env === undefined) {
    return {
      graphFile: flags.graphArg,
      pipeline: undefined,
      ...fromFlags([...DEFAULT_SOURCE_TOPICS], DEFAULT_SINK_TOPIC),
      moduleDirs: flags.moduleDirs,
      registry: flags.registry,
      configuration: [],
      environment: undefined,
      settings: {},
    };
  }
  const project = await loadProject(findProjectFile(flags.project));
  const environment = selectEnvironment(project, flags.env);
  const bound =
    flags.graphArg === undefined && flags.graph === undefined && runsPipeline(project, environment) ? await bindPipeline(project, environment) : undefined;
  const graph = bound?.pipeline.file ?? flags.graphArg ?? selectGraph(project, flags.graph).file;
  const registry =
    flags.registry ??
    (environment.registry === undefined
      ? undefined
      : moduleRegistryAt(environment.registry.host, environment.registry.plainHttp, remoteLimits({}, project.remote)));
  if (environment.source.topics.length === 0) throw new AioError('AIO_ENV_NO_TOPICS', `environment ${environment.name} has no source topics`);
  return {
    graphFile: graph,
    pipeline: bound?.manifest,
    ...fromFlags(environment.source.topics, environment.destination.topic),
    moduleDirs: [...flags.moduleDirs, ...project.moduleDirs],
    registry,
    // A pipeline's nodes carry their own configuration, bound by the environment's nodes:.
    configuration: bound === undefined ? environment.configuration : [],
    environment: environment.name,
    settings: project.emulator,
  };
}
