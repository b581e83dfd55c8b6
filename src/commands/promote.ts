import { Flags } from '@oclif/core';
import { AioCommand } from '../cli/base-command.js';
import { canPrompt, confirm } from '../cli/confirm.js';
import { withProgressBar } from '../cli/registry-flags.js';
import { copyPromotion, planPromotion } from '../deploy/promote.js';
import { runDeployment } from '../deploy/run-deployment.js';
import { AioError } from '../errors.js';
import { signedInAccess } from '../registry/credentials.js';
import { formatReference } from '../registry/reference.js';
import { blobSummary } from '../registry/transfer.js';

export default class Promote extends AioCommand {
  static override summary = 'Promote the exact graph (or pipeline graphs) and modules one environment runs to another: copy them by digest, then deploy.';
  static override description = `Reads the graph artifact from the --from environment's registry (not the local file: what ships is what was tested), resolves it and every module it references to a digest, runs the --to environment's deployment checks on it, then:
  1. copies each module and then the graph to the --to registry under the same names, by digest, and checks each landed with the same digest;
  2. deploys the graph to --to as \`aio deploy graph\` does (ARM deployment or Kubernetes server-side apply), and waits.
When --to binds a pipeline, each custom graph its Graph nodes name is promoted this way and the --to pipeline is deployed; built-in transforms (Microsoft's registry) are left alone.
Asks for confirmation only in a terminal; never with --yes, --json, or when not in a terminal (pipelines). --dry-run copies nothing and previews the deployment.`;

  static override examples = [
    { description: 'Promote what runs in staging to production', command: '<%= config.bin %> <%= command.id %> --from staging --to prod' },
    { description: 'In a pipeline: no prompt, one JSON result', command: '<%= config.bin %> <%= command.id %> --from staging --to prod --yes --json' },
    { description: 'See what would be copied and what would change', command: '<%= config.bin %> <%= command.id %> --from staging --to prod --dry-run' },
    {
      description: 'Promote a pipeline’s custom graphs and deploy the pipeline',
      command: '<%= config.bin %> <%= command.id %> --from pipeline-staging --to pipeline-prod --yes',
    },
  ];

  static override flags = {
    project: Flags.string({ description: 'the project file (default: aio.yaml here or in a folder above)' }),
    from: Flags.string({ description: 'environment whose registry holds the tested artifacts', required: true }),
    to: Flags.string({ description: 'environment to copy to and deploy (target arm or kubernetes)', required: true }),
    graph: Flags.string({ description: 'graph key in aio.yaml (default: the only one)' }),
    yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation' }),
    'dry-run': Flags.boolean({ description: 'copy nothing; preview the deployment (ARM what-if, Kubernetes dryRun=All)' }),
    wait: Flags.boolean({ description: 'wait until the deployment finishes and the graph is provisioned', default: true, allowNo: true }),
    timeout: Flags.integer({ description: 'seconds to wait', default: 600, min: 1 }),
  };

  async run(): Promise<Record<string, unknown>> {
    const { flags } = await this.parse(Promote);
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    const promotion = await planPromotion(flags, (registry, limits) =>
      withProgressBar(signedInAccess({ plainHttp: registry.plainHttp, limits }), !this.jsonEnabled()),
    );
    const { target, to } = promotion;
    const toHost = to.registry!.host;
    const artifacts = promotion.graphs.reduce((n, g) => n + 1 + g.release.modules.length, 0);
    for (const { release, nodes } of promotion.graphs) {
      progress(
        `${formatReference(release.graph.ref)}@${release.graph.digest} with ${release.modules.length} module(s)${nodes.length > 0 ? ` for node(s) ${nodes.join(', ')}` : ''}: ${promotion.from.name} → ${to.name} (${toHost})`,
      );
    }
    if (promotion.graphs.length === 0) progress(`${promotion.subject} has only built-in transforms: nothing to copy`);
    const graphs = promotion.graphs.map(({ artifact, nodes, release }) => ({
      artifact,
      ...(nodes.length > 0 ? { nodes } : {}),
      digest: release.graph.digest,
      modules: release.modules.map((m) => ({ reference: formatReference({ ...m.ref, registry: toHost }), digest: m.digest })),
    }));
    // A graph's promotion keeps its flat shape (graph, modules); a pipeline's lists each custom graph.
    const promoted = {
      from: promotion.from.name,
      to: to.name,
      ...(promotion.subject.startsWith('pipeline ')
        ? { pipeline: promotion.subject.slice('pipeline '.length), graphs }
        : { graph: { artifact: graphs[0]!.artifact, digest: graphs[0]!.digest }, modules: graphs[0]!.modules }),
    };
    const deploy = (preview: boolean) =>
      runDeployment(target, { preview, wait: preview ? false : flags.wait, timeoutMs: flags.timeout * 1000, onProgress: progress });
    if (flags['dry-run']) {
      const outcome = await deploy(true);
      this.log(`dry run: would copy ${artifacts} artifact(s) to ${toHost}\n${outcome.summary}`);
      return { ...promoted, dryRun: true, deployment: outcome.result };
    }
    if (!flags.yes && !this.jsonEnabled() && canPrompt() && !(await confirm(`Copy to ${toHost} and deploy ${target.graphName} to ${to.name}?`))) {
      throw new AioError('AIO_PROMOTE_DECLINED', 'promotion cancelled at the prompt; nothing was copied or deployed', { hint: 'answer y, or pass --yes' });
    }
    const copied = (await copyPromotion(promotion, (what) => progress(`copying ${what}`))).flatMap((c) => [...c.modules, c.graph]);
    for (const artifact of copied) progress(`  ${artifact.reference}@${artifact.digest} (${blobSummary(artifact.blobs)})`);
    const outcome = await deploy(false);
    this.log(outcome.summary);
    return { ...promoted, copied, deployment: outcome.result };
  }
}
