import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { registryAccess, registryFlags } from '../../cli/registry-flags.js';
import { parseReference } from '../../registry/reference.js';
import { blobSummary, copyArtifact, type CopyResult } from '../../registry/transfer.js';

export default class RegistryCopy extends AioCommand {
  static override summary = 'Copy an artifact byte for byte to another repository or registry (same digest), for promotion.';
  static override examples = [
    {
      description: 'Promote a tested module from staging to production',
      command: '<%= config.bin %> <%= command.id %> staging.azurecr.io/thermostat:1.0.0 prod.azurecr.io/thermostat:1.0.0',
    },
    {
      description: 'Copy exactly the digest that was tested',
      command: '<%= config.bin %> <%= command.id %> staging.azurecr.io/thermostat@sha256:… prod.azurecr.io/thermostat:1.0.0',
    },
  ];

  static override args = {
    source: Args.string({ description: 'source <registry>/<repository>:<tag> or @sha256:<digest>', required: true }),
    destination: Args.string({ description: 'destination <registry>/<repository>[:<tag>]', required: true }),
  };

  static override flags = {
    ...registryFlags,
    'source-plain-http': Flags.boolean({ description: 'talk HTTP to the source registry only' }),
  };

  async run(): Promise<CopyResult> {
    const { args, flags } = await this.parse(RegistryCopy);
    const source = parseReference(args.source, { requireTagOrDigest: true });
    const destination = parseReference(args.destination);
    const access = await registryAccess(flags, !this.jsonEnabled());
    const sourceAccess = { ...access, plainHttp: flags['plain-http'] || flags['source-plain-http'] };
    const result = await copyArtifact(source, destination, sourceAccess, access);
    this.log(`copied ${result.source} → ${result.destination}@${result.digest} (${blobSummary(result.blobs)})`);
    return result;
  }
}
