import { Flags } from '@oclif/core';
import { writeFile } from 'node:fs/promises';
import { AioCommand } from '../cli/base-command.js';
import { projectFlags } from '../cli/project-flags.js';
import { requireInstance } from '../deploy/plan.js';
import { prepareDeployment } from '../deploy/prepare-deployment.js';
import { renderArmTemplate } from '../deploy/render/arm.js';
import { renderBicep } from '../deploy/render/bicep.js';
import { renderKubernetesYaml } from '../deploy/render/kubernetes.js';

export default class Render extends AioCommand {
  static override summary = 'Render the deployment of a graph to an environment: an ARM template, a Bicep file or Kubernetes manifests.';
  static override description = `The graph stays environment-agnostic; the environment in aio.yaml binds it: registry endpoint, source and destination endpoints and topics, configuration, and the AIO instance (ARM) or namespace (Kubernetes). Before rendering, the checks the service runs are run here (resource names, required parameters, configuration keys, artifact format) and reported with aio.yaml line:column. Nothing is contacted: rendering is a pure function of the files.`;

  static override examples = [
    { description: 'ARM template for production', command: '<%= config.bin %> <%= command.id %> --env prod --format arm > dataflow.json' },
    {
      description: 'Kubernetes manifests, applied by kubectl',
      command: '<%= config.bin %> <%= command.id %> --env staging --format k8s | kubectl apply --server-side -f -',
    },
    { description: 'Bicep for a platform repository', command: '<%= config.bin %> <%= command.id %> --env prod --format bicep --output infra/dataflow.bicep' },
  ];

  static override flags = {
    ...projectFlags,
    format: Flags.option({
      options: ['arm', 'bicep', 'k8s'] as const,
      description: 'output format (default: arm for target arm, k8s for target kubernetes)',
    })(),
    output: Flags.string({ char: 'o', description: 'write to this file instead of stdout' }),
  };

  async run(): Promise<{ environment: string; format: string; document: unknown }> {
    const { flags } = await this.parse(Render);
    const plan = await prepareDeployment(flags);
    const format = flags.format ?? (plan.environment.target === 'kubernetes' ? 'k8s' : 'arm');
    if (format !== 'k8s') requireInstance(plan, `--format ${format} (or render --format k8s)`);
    const document = format === 'arm' ? renderArmTemplate(plan) : format === 'bicep' ? renderBicep(plan) : renderKubernetesYaml(plan);
    const text = typeof document === 'string' ? document : `${JSON.stringify(document, null, 2)}\n`;
    if (flags.output !== undefined) {
      await writeFile(flags.output, text);
      this.logToStderr(`wrote ${flags.output}`);
    } else if (!this.jsonEnabled()) {
      process.stdout.write(text);
    }
    return { environment: plan.environment.name, format, document };
  }
}
