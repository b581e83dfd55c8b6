import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { registryAccess, registryFlags } from '../../cli/registry-flags.js';
import { parseReference } from '../../registry/reference.js';
import { pullArtifact, type PullResult } from '../../registry/transfer.js';

export default class RegistryPull extends AioCommand {
  static override summary = 'Pull a module or graph artifact and write its content, checked against its digest.';
  static override examples = [
    {
      description: 'Pull a module into the current folder (under its pushed file name)',
      command: '<%= config.bin %> <%= command.id %> myacr.azurecr.io/thermostat:1.0.0',
    },
    {
      description: 'Pull a graph to a given file',
      command: '<%= config.bin %> <%= command.id %> 127.0.0.1:5000/thermostat-graph:1.0.0 -o graph.yaml --plain-http',
    },
  ];

  static override args = {
    reference: Args.string({ description: '<registry>/<repository>:<tag> or …@sha256:<digest>', required: true }),
  };

  static override flags = {
    ...registryFlags,
    output: Flags.string({ char: 'o', description: 'file to write, or folder to write into', default: '.' }),
  };

  async run(): Promise<PullResult> {
    const { args, flags } = await this.parse(RegistryPull);
    const ref = parseReference(args.reference, { requireTagOrDigest: true });
    const result = await pullArtifact(ref, flags.output, await registryAccess(flags, !this.jsonEnabled()));
    this.log(`pulled ${result.kind} ${result.reference}@${result.digest} → ${result.file} (${result.size} bytes)`);
    return result;
  }
}
