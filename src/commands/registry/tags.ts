import { Args } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { registryAccess, registryFlags } from '../../cli/registry-flags.js';
import { parseReference } from '../../registry/reference.js';
import { clientFor } from '../../registry/transfer.js';

export default class RegistryTags extends AioCommand {
  static override summary = 'List the tags of a repository (all pages).';
  static override examples = [{ description: 'Which versions of a module exist?', command: '<%= config.bin %> <%= command.id %> myacr.azurecr.io/thermostat' }];

  static override args = {
    repository: Args.string({ description: '<registry>/<repository>', required: true }),
  };

  static override flags = { ...registryFlags };

  async run(): Promise<{ repository: string; tags: string[] }> {
    const { args, flags } = await this.parse(RegistryTags);
    const ref = parseReference(args.repository);
    const tags = await clientFor(ref.registry, await registryAccess(flags, false)).listTags(ref.repository);
    for (const tag of tags) this.log(tag);
    return { repository: `${ref.registry}/${ref.repository}`, tags };
  }
}
