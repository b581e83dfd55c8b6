import { Flags } from '@oclif/core';
import { remoteLimits } from '../util/remote-limits.js';
import { AioCommand } from '../cli/base-command.js';
import { projectFlags } from '../cli/project-flags.js';
import { requireInstance } from '../deploy/plan.js';
import { prepareDeployment } from '../deploy/prepare-deployment.js';
import { provisionedResources, renderProvisionTemplate } from '../deploy/render/provision.js';
import { deployTemplate } from '../deploy/targets/arm.js';

export default class Provision extends AioCommand {
  static override summary =
    'Create (or verify) the Azure Container Registry, AcrPull for the AIO extension identity, and the RegistryEndpoint, in one ARM deployment.';
  static override description = `Reads registry.acr and instance from the environment in aio.yaml. Deploying again changes nothing (the role assignment's name is derived from the registry, principal and role). --dry-run prints the template instead.`;
  static override examples = [
    { description: 'Provision production’s registry', command: '<%= config.bin %> <%= command.id %> --env prod' },
    { description: 'See the template first', command: '<%= config.bin %> <%= command.id %> --env prod --dry-run' },
  ];

  static override flags = {
    ...projectFlags,
    'dry-run': Flags.boolean({ description: 'print the ARM template, deploy nothing' }),
    timeout: Flags.integer({ description: 'seconds to wait', default: 900, min: 1 }),
  };

  async run(): Promise<Record<string, unknown>> {
    const { flags } = await this.parse(Provision);
    const plan = await prepareDeployment(flags);
    const instance = requireInstance(plan, 'aio provision');
    const template = renderProvisionTemplate(plan);
    if (flags['dry-run']) {
      if (!this.jsonEnabled()) process.stdout.write(`${JSON.stringify(template, null, 2)}\n`);
      return { environment: plan.environment.name, template };
    }
    const resourceGroup = instance.resourceGroup;
    const outputs = await deployTemplate(instance.subscription, resourceGroup, `aio-provision-${plan.environment.registry!.endpoint}`, template, {
      timeoutMs: flags.timeout * 1000,
      onProgress: (line) => process.stderr.write(`${line}\n`),
      limits: remoteLimits({}, plan.project.remote),
    });
    const created = provisionedResources(template);
    this.log(`provisioned in ${resourceGroup}:\n${created.map((c) => `  ${c}`).join('\n')}`);
    return { environment: plan.environment.name, resourceGroup, resources: created, outputs };
  }
}
