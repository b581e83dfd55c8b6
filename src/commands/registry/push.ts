import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { registryAccess, registryFlags } from '../../cli/registry-flags.js';
import { parseReference } from '../../registry/reference.js';
import { blobSummary, planFile, pushPlan, type PushResult } from '../../registry/transfer.js';

export default class RegistryPush extends AioCommand {
  static override summary = 'Push a module (.wasm) or a graph (.yaml) as an OCI artifact, in the shape the AIO runtime expects.';
  static override description = `Modules get artifactType application/vnd.module.wasm.content.layer.v1+wasm, the OCI empty config and an application/wasm layer; graphs an application/vnd.microsoft.aio.graph.v1+yaml config and an application/yaml layer, byte-compatible with the oras commands in the AIO documentation. Blobs the registry already has are not sent again, so a repeated or interrupted push is safe to run again.
Credentials: --username with --password-stdin, AIO_REGISTRY_USERNAME/AIO_REGISTRY_PASSWORD, or ~/.docker/config.json.`;

  static override examples = [
    { description: 'Push a module', command: '<%= config.bin %> <%= command.id %> myacr.azurecr.io/thermostat:1.0.0 operators/thermostat/bin/release/thermostat.wasm' },
    { description: 'Push a graph to a local registry', command: '<%= config.bin %> <%= command.id %> 127.0.0.1:5000/thermostat-graph:1.0.0 graph.dataflow.yaml --plain-http' },
    { description: 'Print the digest for a pipeline', command: '<%= config.bin %> <%= command.id %> myacr.azurecr.io/thermostat:1.0.0 thermostat.wasm --json' },
  ];

  static override args = {
    reference: Args.string({ description: '<registry>/<repository>:<tag>', required: true }),
    file: Args.string({ description: 'the .wasm module or .yaml graph to push', required: true }),
  };

  static override flags = {
    ...registryFlags,
    kind: Flags.option({ options: ['module', 'graph'] as const, description: 'artifact kind (default: detected from the file)' })(),
  };

  async run(): Promise<PushResult> {
    const { args, flags } = await this.parse(RegistryPush);
    const ref = parseReference(args.reference, { requireTagOrDigest: true });
    const plan = await planFile(args.file, flags.kind);
    const result = await pushPlan(ref, plan, await registryAccess(flags, !this.jsonEnabled()));
    this.log(`pushed ${result.kind} ${result.reference}@${result.digest} (${blobSummary(result.blobs)})`);
    return result;
  }
}
