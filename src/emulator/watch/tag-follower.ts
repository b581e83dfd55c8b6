/**
 * `aio emulate --follow-tags`: a cluster graph picks up a module pushed again to the same tag without a
 * redeployment, and so does the emulator. Every `intervalMs` the tag of each module the run pulled is resolved by
 * HEAD (the manifest's digest, no body); when it points at a new digest, the module is pulled and swapped into the
 * operations running it (run-control.ts), between two items. A registry that cannot be reached is reported once
 * and asked again with doubling delays, up to MAX_BACKOFF_MS; its return is reported too.
 */
import { AioError, describeError } from '../../errors.js';
import type { RunPlan } from '../../run/instantiate-run.js';
import type { EmulateReporter } from '../emulate-session.js';
import type { RunControl } from '../run-control.js';
import { parseReference } from '../../registry/reference.js';
import { pullModule, type ModuleRegistry, type PulledModule } from '../../run/resolve-module.js';
import { describeSwap, type ModuleSwapped } from '../../run/module-swap.js';

export const DEFAULT_FOLLOW_INTERVAL_MS = 30_000;
export const MAX_BACKOFF_MS = 5 * 60_000;

export interface FollowReporter {
  note(text: string): void;
  warn(text: string): void;
}

interface Followed {
  reference: string;
  digest: string;
  operations: string[];
}

export class TagFollower {
  private readonly followed: Followed[] = [];
  private timer: NodeJS.Timeout | undefined;
  private delayMs: number;
  private failing = false;
  private stopped = false;

  constructor(
    pulled: ReadonlyMap<string, PulledModule>,
    private readonly registry: ModuleRegistry,
    private readonly intervalMs: number,
    private readonly swap: (file: string, operations: readonly string[]) => Promise<ModuleSwapped | undefined>,
    private readonly reporter: FollowReporter,
  ) {
    this.delayMs = intervalMs;
    for (const [operation, module] of pulled) {
      const same = this.followed.find((f) => f.reference === module.reference);
      if (same) same.operations.push(operation);
      else this.followed.push({ reference: module.reference, digest: module.digest, operations: [operation] });
    }
  }

  /** The references followed, for the start-up line. */
  get references(): string[] {
    return this.followed.filter((f) => parseReference(f.reference).tag !== undefined).map((f) => f.reference);
  }

  start(): void {
    if (this.references.length > 0) this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll().finally(() => this.schedule()), this.delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      for (const followed of this.followed) await this.check(followed);
      if (this.failing) this.reporter.note(`follow-tags: ${this.registry.host} answers again`);
      this.failing = false;
      this.delayMs = this.intervalMs;
    } catch (error) {
      this.delayMs = Math.min(MAX_BACKOFF_MS, this.delayMs * 2);
      if (!this.failing) this.reporter.warn(`follow-tags: cannot check ${this.registry.host} (${describeError(error)}); trying again with growing delays`);
      this.failing = true;
    }
  }

  private async check(followed: Followed): Promise<void> {
    const ref = parseReference(followed.reference);
    if (ref.tag === undefined) return; // pinned by digest: it cannot move
    // Loaded here, not with the emulator: the registry client brings an HTTP stack (undici) that every start paid for.
    const { clientFor } = await import('../../registry/transfer.js');
    const client = clientFor(ref.registry, this.registry.access);
    const digest = (await client.manifestDigest(ref.repository, ref.tag)) ?? (await client.getManifest(ref.repository, ref.tag)).digest;
    if (digest === followed.digest) return;
    const was = followed.digest;
    followed.digest = digest; // also when the swap fails: the same digest is not tried again and again
    const pulled = await pullModule(followed.reference, this.registry);
    try {
      const swapped = await this.swap(pulled.file, followed.operations);
      if (swapped) {
        this.reporter.note(`follow-tags: ${followed.reference} moved from ${was} to ${digest}; swapped ${describeSwap(swapped)}`);
      } else this.reporter.note(`follow-tags: ${followed.reference} moved to ${digest}, with the same module bytes; nothing to swap`);
    } catch (error) {
      this.reporter.warn(
        `follow-tags: ${followed.reference} moved to ${digest}, but the new module could not start; the old one runs on: ${describeError(error)}`,
      );
    }
  }
}

/** `--follow-tags`: polls the tags of the modules pulled for this run, once it runs. */
export function followTags(
  plan: RunPlan,
  registry: ModuleRegistry | undefined,
  intervalMs: number,
  reporter: Pick<EmulateReporter, 'note' | 'logLine'>,
): { start(control: RunControl): void; stop(): void } | undefined {
  if (!registry) {
    throw new AioError('AIO_EMULATE_FOLLOW_NEEDS_REGISTRY', '--follow-tags follows the modules pulled from a registry, and no registry is set', {
      hint: 'Add --registry <host> (or use an aio.yaml environment with a registry: --env <name>).',
    });
  }
  if (plan.pulledModules.size === 0) {
    reporter.note('follow-tags: every module was found in the workspace or --modules; none was pulled, so no tag is followed');
    return undefined;
  }
  let follower: TagFollower | undefined;
  return {
    start: (control) => {
      follower = new TagFollower(plan.pulledModules, registry, intervalMs, (file, operations) => control.swapModule(file, operations), {
        note: (text) => reporter.note(text),
        warn: (text) => reporter.logLine(text),
      });
      reporter.note(`follow-tags: polling ${follower.references.join(', ')} every ${intervalMs / 1000} s`);
      follower.start();
    },
    stop: () => follower?.stop(),
  };
}
