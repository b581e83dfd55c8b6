import { Flags } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { projectFlags } from '../../cli/project-flags.js';
import { withProgressBar } from '../../cli/registry-flags.js';
import { signedInAccess } from '../../registry/credentials.js';
import { remoteLimits } from '../../util/remote-limits.js';
import { prepareEnvironmentDeployment } from '../../deploy/prepare-deployment.js';
import { pushPipelineRelease, pushRelease } from '../../deploy/push-release.js';
import { runDeployment } from '../../deploy/run-deployment.js';

export default class DeployGraph extends AioCommand {
  static override summary = "Deploy a graph or an environment's pipeline: ARM deployment or Kubernetes server-side apply, then wait until it is provisioned.";
  static override description = `Reads aio.yaml and binds the environment's pipeline (an environment with pipeline:, or a project of pipelines only; as \`aio render\` writes it) or else the graph (--graph chooses one), runs the service's checks, then:
  target arm: one ARM deployment (resource-group scope) of the RegistryEndpoint and the DataflowGraph, through @azure/identity's DefaultAzureCredential (az login, service principal in AZURE_*, workload or managed identity). --what-if lists the changes without making them.
  target kubernetes: server-side apply of the same as custom resources with field manager "aio" (the kubeconfig context from aio.yaml), then a wait for the DataflowGraph's provisioning status. --dry-run sends dryRun=All.
Before sending, each node of the DataflowGraph is listed as added, changed, unchanged or removed against what the service holds (stderr, and "nodes" in --json). Deploying the same thing twice changes nothing the second time. --push first pushes the graph and its modules (a pipeline: every custom graph it names) to the environment's registry and checks the tags resolve to the digests just pushed. Never prompts; --json for pipelines.`;

  static override examples = [
    {
      description: 'Preview, then deploy to production',
      command: '<%= config.bin %> <%= command.id %> --env prod --what-if\n<%= config.bin %> <%= command.id %> --env prod',
    },
    { description: 'Push the artifacts and deploy to a Kubernetes staging cluster', command: '<%= config.bin %> <%= command.id %> --env staging --push' },
    { description: 'Start the deployment and return at once', command: '<%= config.bin %> <%= command.id %> --env prod --no-wait --json' },
    { description: 'Preview a pipeline environment node by node', command: '<%= config.bin %> <%= command.id %> --env pipeline-prod --what-if' },
  ];

  static override flags = {
    ...projectFlags,
    'what-if': Flags.boolean({ description: 'ARM: show what would change, change nothing' }),
    'dry-run': Flags.boolean({ description: 'Kubernetes: server-side dry run (dryRun=All); ARM: same as --what-if' }),
    wait: Flags.boolean({ description: 'wait until the deployment finishes and the graph is provisioned', default: true, allowNo: true }),
    timeout: Flags.integer({ description: 'seconds to wait', default: 600, min: 1 }),
    push: Flags.boolean({ description: 'push the graph (a pipeline: its custom graphs) and modules to the environment’s registry first' }),
    modules: Flags.string({ description: 'with --push: folder of built modules, searched first (repeatable)', multiple: true }),
  };

  async run(): Promise<Record<string, unknown>> {
    const { flags } = await this.parse(DeployGraph);
    const prepared = await prepareEnvironmentDeployment(flags);
    const { project, environment } = prepared.target;
    // Progress goes to stderr also under --json: a pipeline's log shows it, and stdout stays one JSON document.
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    const preview = flags['dry-run'] || flags['what-if'];
    if (flags.push && preview) progress('not pushing: a preview changes nothing, in the registry either');
    const access = () =>
      withProgressBar(signedInAccess({ plainHttp: environment.registry!.plainHttp, limits: remoteLimits({}, project.remote) }), !this.jsonEnabled());
    const moduleDirs = [...(flags.modules ?? []), ...project.moduleDirs];
    let pushed: Record<string, unknown> | undefined;
    let common: Record<string, unknown>;
    if (prepared.kind === 'pipeline') {
      const { plan } = prepared;
      const release = flags.push && !preview ? await pushPipelineRelease(plan, moduleDirs, access(), progress) : undefined;
      for (const g of release?.graphs ?? []) progress(`pushed ${g.graph.reference}@${g.graph.digest} for node(s) ${g.nodes.join(', ')}`);
      pushed = release === undefined ? undefined : { ...release };
      common = { environment: environment.name, target: environment.target, pipeline: plan.pipeline.name, graph: plan.graphName, apiVersion: plan.apiVersion };
    } else {
      const { plan } = prepared;
      const release = flags.push && !preview ? await pushRelease(plan, moduleDirs, access(), progress) : undefined;
      if (release !== undefined) progress(`pushed ${release.graph.reference}@${release.graph.digest}`);
      pushed = release === undefined ? undefined : { ...release };
      common = { environment: environment.name, target: environment.target, graph: plan.graphName, artifact: plan.artifact };
    }
    const outcome = await runDeployment(prepared.target, { preview, wait: flags.wait, timeoutMs: flags.timeout * 1000, onProgress: progress });
    this.log(outcome.summary);
    return { ...common, ...(pushed === undefined ? {} : { pushed }), ...outcome.result };
  }
}
