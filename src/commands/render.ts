import { Flags } from '@oclif/core';
import { writeFile } from 'node:fs/promises';
import { AioCommand } from '../cli/base-command.js';
import { projectFlags } from '../cli/project-flags.js';
import { PIPELINE_API_VERSIONS } from '../deploy/pipeline-plan.js';
import { renderEnvironment, type Rendered } from '../deploy/render-environment.js';

export default class Render extends AioCommand {
  static override summary = 'Render the deployment of a pipeline or a graph to an environment: an ARM template, a Bicep file or Kubernetes manifests.';
  static override description = `The graph stays environment-agnostic; the environment in aio.yaml binds it: registry endpoint, source and destination endpoints and topics, configuration, and the AIO instance (ARM) or namespace (Kubernetes). Before rendering, the checks the service runs are run here (resource names, required parameters, configuration keys, artifact format) and reported with aio.yaml line:column. Nothing is contacted: rendering is a pure function of the files.
An environment that binds a pipeline (aio.yaml pipelines:, the environment's pipeline:, variables: and nodes:) renders that DataflowGraph manifest: its nodes and connections with the environment's values, destination headers, and the RegistryEndpoint its custom graph nodes pull through (a custom node written with registryEndpointRef: default gets the environment's registry.endpoint; built-in transforms keep default). Pipelines render at API 2026-10-01 unless --api-version says otherwise; a field the chosen version lacks is an error at the manifest's line:column.`;

  static override examples = [
    { description: 'ARM template for production', command: '<%= config.bin %> <%= command.id %> --env prod --format arm > dataflow.json' },
    {
      description: 'Kubernetes manifests, applied by kubectl',
      command: '<%= config.bin %> <%= command.id %> --env staging --format k8s | kubectl apply --server-side -f -',
    },
    { description: 'A pipeline at an older API version', command: '<%= config.bin %> <%= command.id %> --env prod --format arm --api-version 2026-07-01' },
    { description: 'Bicep for a platform repository', command: '<%= config.bin %> <%= command.id %> --env prod --format bicep --output infra/dataflow.bicep' },
  ];

  static override flags = {
    ...projectFlags,
    format: Flags.option({
      options: ['arm', 'bicep', 'k8s'] as const,
      description: 'output format (default: arm for target arm, k8s for target kubernetes)',
    })(),
    output: Flags.string({ char: 'o', description: 'write to this file instead of stdout' }),
    'api-version': Flags.option({
      options: PIPELINE_API_VERSIONS,
      description: 'pipelines: the Microsoft.IoTOperations API version of ARM and Bicep (default: 2026-10-01)',
    })(),
  };

  async run(): Promise<Rendered> {
    const { flags } = await this.parse(Render);
    const rendered = await renderEnvironment({ ...flags, apiVersion: flags['api-version'] });
    const text = typeof rendered.document === 'string' ? rendered.document : `${JSON.stringify(rendered.document, null, 2)}\n`;
    if (flags.output !== undefined) {
      await writeFile(flags.output, text);
      this.logToStderr(`wrote ${flags.output} (${rendered.source})`);
    } else if (!this.jsonEnabled()) {
      process.stdout.write(text);
    }
    return rendered;
  }
}
