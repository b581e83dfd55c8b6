import type { Deployable } from './deployable.js';
import { formatNodeChanges } from './node-changes.js';
import { deployToArm } from './targets/arm.js';

export interface DeploymentRunOptions {
  /** ARM what-if, or Kubernetes dryRun=All: nothing changes. */
  preview: boolean;
  /** Wait for the deployment to finish and the graph to be provisioned. */
  wait: boolean;
  timeoutMs: number;
  /** Progress lines (stderr). */
  onProgress: (line: string) => void;
}

export interface DeploymentOutcome {
  /** One line (or a short block) for the terminal. */
  summary: string;
  /** The target's own result, for `--json`. */
  result: Record<string, unknown>;
}

/** Sends a checked graph or pipeline to its target: one ARM deployment, or server-side apply on Kubernetes. */
export async function runDeployment(target: Deployable, options: DeploymentRunOptions): Promise<DeploymentOutcome> {
  if (target.environment.target === 'kubernetes') {
    // Loaded here, not at the top: oclif imports every command at start-up, and the Kubernetes client costs ~0.5 s.
    const { applyToKubernetes } = await import('./targets/kubernetes.js');
    const result = await applyToKubernetes(target, {
      dryRun: options.preview,
      wait: options.wait,
      timeoutMs: options.timeoutMs,
      onProgress: options.onProgress,
    });
    const changed = result.objects.filter((o) => o.changed).length;
    const summary = `${result.dryRun ? 'dry run: ' : ''}${target.graphName} → ${result.context}/${target.environment.kubernetes!.namespace}: ${changed} of ${result.objects.length} resource(s) ${result.dryRun ? 'would change' : 'changed'}${result.state ? `; ${result.state}` : ''}\n${formatNodeChanges(target.graphName, result.nodes)}`;
    return { summary, result: { ...result } };
  }
  // target arm: the project loader already refused an arm environment without instance:.
  const result = await deployToArm(target, { whatIf: options.preview, wait: options.wait, timeoutMs: options.timeoutMs, onProgress: options.onProgress });
  return { summary: result.summary, result: { ...result } };
}
