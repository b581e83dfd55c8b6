import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { registryAccess, registryFlags } from '../../cli/registry-flags.js';
import { AioError } from '../../errors.js';
import { pushGraphWithModules, type GraphPushResult } from '../../registry/push-graph.js';
import { isRegistryHost, parseReference } from '../../registry/reference.js';
import { blobSummary, planFile, pushPlan, type PushResult } from '../../registry/transfer.js';
import { pushPipelineGraphs, type PipelinePushResult } from '../../deploy/push-pipeline-graphs.js';
import { isManifestFile } from '../../pipeline/validate-input.js';

export default class RegistryPush extends AioCommand {
  static override summary = 'Push a module (.wasm) or a graph (.yaml) as an OCI artifact, in the shape the AIO runtime expects.';
  static override description = `Modules get artifactType application/vnd.module.wasm.content.layer.v1+wasm, the OCI empty config and an application/wasm layer; graphs an application/vnd.microsoft.aio.graph.v1+yaml config and an application/yaml layer, byte-compatible with the oras commands in the AIO documentation. Blobs the registry already has are not sent again, so a repeated or interrupted push is safe to run again.
With --graph, the graph and every module it references are pushed: each module is found in the local workspace (as aio emulate finds it) and pushed to <registry>/<reference as the graph writes it>, then the graph to <registry>/<name>:<version> from its metadata (or --name). \${VAR} placeholders are filled from the environment first.
With --graph <DataflowGraph manifest>, every custom graph its Graph nodes name (found through aio.yaml's graphs: by artifact, or --graph-file) is pushed with its modules under the node's artifact; built-in transforms are left alone.
Credentials: --username with --password-stdin, AIO_REGISTRY_USERNAME/AIO_REGISTRY_PASSWORD, ~/.docker/config.json (see aio registry login), or for *.azurecr.io your Azure sign-in.`;

  static override examples = [
    {
      description: 'Push a module',
      command: '<%= config.bin %> <%= command.id %> myacr.azurecr.io/thermostat:1.0.0 operators/thermostat/bin/release/thermostat.wasm',
    },
    { description: 'Push a graph and all its modules', command: '<%= config.bin %> <%= command.id %> myacr.azurecr.io --graph graph.dataflow.yaml' },
    {
      description: 'Push every custom graph a DataflowGraph pipeline uses, with their modules',
      command: '<%= config.bin %> <%= command.id %> myacr.azurecr.io --graph pipeline.dataflowgraph.yaml',
    },
    {
      description: 'Push a graph to a local registry',
      command: '<%= config.bin %> <%= command.id %> 127.0.0.1:5000/thermostat-graph:1.0.0 graph.dataflow.yaml --plain-http',
    },
    {
      description: 'Print the digests for a pipeline',
      command: 'VERSION=1.2.0 <%= config.bin %> <%= command.id %> myacr.azurecr.io --graph graph.dataflow.yaml --json',
    },
  ];

  static override args = {
    reference: Args.string({ description: '<registry>/<repository>:<tag>; with --graph, the registry host only', required: true }),
    file: Args.string({ description: 'the .wasm module or .yaml graph to push (not with --graph)' }),
  };

  static override flags = {
    ...registryFlags,
    kind: Flags.option({ options: ['module', 'graph'] as const, description: 'artifact kind (default: detected from the file)' })(),
    graph: Flags.string({ description: 'push this graph and every module it references', exclusive: ['kind'] }),
    name: Flags.string({
      description: 'with --graph: the graph artifact as <name>:<version> (default: from metadata.name and metadata.version)',
      dependsOn: ['graph'],
    }),
    modules: Flags.string({
      description: 'with --graph: a folder holding built modules, searched before the workspace (repeatable)',
      multiple: true,
      dependsOn: ['graph'],
    }),
    'graph-file': Flags.string({
      description: "with --graph <pipeline>: a custom Graph node's graph definition, <artifact>=<file> (repeatable; else aio.yaml's graphs)",
      multiple: true,
      dependsOn: ['graph'],
    }),
  };

  async run(): Promise<PushResult | GraphPushResult | PipelinePushResult> {
    const { args, flags } = await this.parse(RegistryPush);
    const access = await registryAccess(flags, !this.jsonEnabled());
    if (flags.graph !== undefined) {
      if (args.file !== undefined)
        throw new AioError('AIO_USAGE_CONFLICT', 'give either a file or --graph, not both', { hint: 'aio registry push <registry> --graph graph.yaml' });
      if (!isRegistryHost(args.reference) || args.reference.includes('/')) {
        throw new AioError('AIO_REGISTRY_BAD_HOST', `with --graph the first argument is the registry host, not "${args.reference}"`, {
          hint: 'the cluster resolves module names against the registry endpoint host, so give the host only: aio registry push myacr.azurecr.io --graph graph.yaml',
        });
      }
      if (await isManifestFile(flags.graph)) {
        if (flags.name !== undefined)
          throw new AioError('AIO_USAGE_CONFLICT', '--name names one graph, and a pipeline names each graph artifact in its Graph nodes', {
            hint: 'drop --name; each custom graph is pushed under its node’s artifact',
          });
        const pushed = await pushPipelineGraphs(flags.graph, args.reference, {
          moduleDirs: flags.modules ?? [],
          graphFiles: flags['graph-file'] ?? [],
          access,
          onStart: (what) => this.logToStderr(`pushing ${what}`),
        });
        if (pushed.graphs.length === 0) this.log('the pipeline has only built-in transforms: nothing to push');
        for (const g of pushed.graphs) {
          for (const m of g.modules) this.log(`pushed module ${m.reference}@${m.digest} (${blobSummary(m.blobs)})`);
          this.log(`pushed graph ${g.graph.reference}@${g.graph.digest} for node(s) ${g.nodes.join(', ')} (${blobSummary(g.graph.blobs)})`);
        }
        return pushed;
      }
      const result = await pushGraphWithModules(flags.graph, args.reference, {
        artifact: flags.name,
        moduleDirs: flags.modules ?? [],
        access,
        onStart: (what) => this.logToStderr(`pushing ${what}`),
      });
      for (const m of result.modules) this.log(`pushed module ${m.reference}@${m.digest} (${blobSummary(m.blobs)})`);
      this.log(`pushed graph ${result.graph.reference}@${result.graph.digest} (${blobSummary(result.graph.blobs)})`);
      return result;
    }
    if (args.file === undefined)
      throw new AioError('AIO_USAGE_MISSING_FILE', 'no file to push', {
        hint: 'aio registry push <registry>/<name>:<tag> <file>, or aio registry push <registry> --graph graph.yaml',
      });
    const ref = parseReference(args.reference, { requireTagOrDigest: true });
    const plan = await planFile(args.file, flags.kind);
    const result = await pushPlan(ref, plan, access);
    this.log(`pushed ${result.kind} ${result.reference}@${result.digest} (${blobSummary(result.blobs)})`);
    return result;
  }
}
