/**
 * `aio emulate --watch`: the run goes on while the workspace changes under it.
 * - An operator's source saved: that operator is rebuilt (`aio build`'s logic) and, in a live run, its module is
 *   swapped into the running graph between two items (run-control.ts): the broker stays up, nothing in flight is
 *   lost, the state store and open windows stay, the new module gets `init` with the same configuration, and the
 *   swap is logged with both sha256s. A failed build shows the compiler's error and the old module runs on.
 * - The graph file saved: when only parameters changed, the operations concerned start anew with them; any other
 *   change restarts the run (the embedded broker comes back on the same port), saying why.
 * - statestore.json saved: its keys are set in the running store. hostapp.env.list or the payload schema saved:
 *   the run restarts (they are read when a run starts).
 * - A data-folder run runs again after each change.
 * Changes are handled one at a time, in order.
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describeError } from '../../errors.js';
import { describeSwap } from '../../run/module-swap.js';
import { aborted, RUN_RESTART } from '../live-run.js';
import { buildWorkspace, type BuildMode } from '../../build/build-workspace.js';
import type { HasOperationStats } from '../../engine/operation-stats.js';
import { planRun } from '../../run/prepare-run.js';
import type { RunPlan } from '../../run/instantiate-run.js';
import { loadStateStoreSeed } from '../../run/workspace-files.js';
import { findWorkspaceRoot, OPERATORS_DIR } from '../../workspace/find-workspace.js';
import { emulate, graphFileOf, planOptionsOf, type EmulateOptions, type EmulateReporter, type EmulateResult } from '../emulate-session.js';
import type { RunControl } from '../run-control.js';
import { comparePlans } from './plan-change.js';
import { WorkspaceWatcher, type WatchChange } from './workspace-watcher.js';

export interface WatchReporter extends EmulateReporter {
  /** A run ended (a data-folder pass, or a live run before its restart): its result, for the summary. */
  result(result: EmulateResult): void;
}

export async function emulateWatching(options: EmulateOptions, reporter: WatchReporter): Promise<EmulateResult> {
  const graphFile = await graphFileOf(options.binding);
  const workspaceRoot = workspaceOf(graphFile);
  let plan = await planRun(planOptionsOf(options, graphFile));
  let control: RunControl | undefined;
  let restart = new AbortController();
  let changedSinceRun = false;
  let wake: (() => void) | undefined;
  const live = options.data === undefined;

  const restartRun = (why: string): void => {
    if (!live) return;
    reporter.note(`watch: ${why}; restarting the run`);
    restart.abort(RUN_RESTART);
  };

  const handle = async (change: WatchChange): Promise<void> => {
    if (change.kind === 'operator') {
      const module = await rebuild(change.name);
      if (module && control) await swap(module);
    } else if (change.kind === 'graph') {
      let next: RunPlan;
      try {
        next = await planRun(planOptionsOf(options, graphFile));
      } catch (error) {
        reporter.logLine(`watch: ${relative(process.cwd(), graphFile)} cannot run as saved; the running graph stays: ${describeError(error)}`);
        return;
      }
      const change = comparePlans(plan, next);
      plan = next;
      if (!change.live) return restartRun(`${change.reason} in ${relative(process.cwd(), graphFile)}, which a running graph cannot take`);
      if (change.reconfigure.length === 0 || !control) return;
      try {
        const restarted = await control.reconfigure(change.reconfigure);
        reporter.note(`watch: new parameters for ${restarted.join(', ')}: started anew (init), the rest of the graph untouched`);
      } catch (error) {
        reporter.logLine(`watch: the new parameters were refused; the operations run on with the old ones: ${describeError(error)}`);
      }
    } else if (change.kind === 'state-store') {
      if (!control) return;
      try {
        const pairs = await loadStateStoreSeed(change.file);
        await control.seedStateStore(pairs);
        reporter.note(`watch: ${pairs.length} key(s) of ${relative(process.cwd(), change.file)} set in the running state store`);
      } catch (error) {
        reporter.logLine(`watch: ${relative(process.cwd(), change.file)} not applied: ${describeError(error)}`);
      }
    } else restartRun(`${relative(process.cwd(), change.file)} changed, and it is read when a run starts`);
  };

  /** Builds the operator; the module file when it built, else undefined (the error is shown). */
  const rebuild = async (name: string): Promise<string | undefined> => {
    if (!workspaceRoot) return undefined;
    const mode = buildModeOf(plan, workspaceRoot, name);
    reporter.note(`watch: ${name} changed; building (${mode})`);
    try {
      const report = await buildWorkspace({ root: workspaceRoot, names: [name], mode });
      const built = report.operators[0]!;
      if (built.status === 'up-to-date') return void reporter.note(`watch: ${name} is up to date: the saved change does not alter its module`);
      if (built.status !== 'failed') return join(workspaceRoot, built.file);
      const error = built.error!;
      reporter.logLine(`watch: the build of ${name} failed; the running module stays. ${error.code}: ${error.message}`);
      for (const line of error.diagnostics) reporter.logLine(`  ${line}`);
      if (error.hint) reporter.logLine(`  hint: ${error.hint}`);
    } catch (error) {
      reporter.logLine(`watch: the build of ${name} failed; the running module stays. ${describeError(error)}`);
    }
    return undefined;
  };

  const swap = async (module: string): Promise<void> => {
    try {
      const swapped = await control!.swapModule(module);
      if (!swapped) return reporter.note(`watch: ${relative(process.cwd(), module)} is not what any operation runs (or it is unchanged); nothing to swap`);
      reporter.note(`watch: swapped ${relative(process.cwd(), module)} ${describeSwap(swapped)}`);
    } catch (error) {
      reporter.logLine(`watch: the new ${relative(process.cwd(), module)} could not start; the old one runs on: ${describeError(error)}`);
    }
  };

  let queue = Promise.resolve();
  const watcher = new WorkspaceWatcher({ graphFile, workspaceRoot, schemaFile: plan.payloadSchema?.file }, (change) => {
    changedSinceRun = true;
    queue = queue.then(() => handle(change)).then(() => wake?.());
  });
  reporter.note(
    `watch: watching ${[relative(process.cwd(), graphFile), workspaceRoot && `${relative(process.cwd(), join(workspaceRoot, OPERATORS_DIR)) || OPERATORS_DIR}${sep}`].filter(Boolean).join(' and ')}`,
  );
  const changed = async (): Promise<void> => {
    while (!changedSinceRun && !options.signal.aborted) await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted(options.signal)]);
    await queue; // a rebuild in progress finishes first
  };
  try {
    let port = options.port;
    let ui = options.ui;
    let last: EmulateResult | undefined;
    for (let first = true; ; first = false) {
      restart = new AbortController();
      changedSinceRun = false;
      const run = { ...options, port, ui, signal: AbortSignal.any([options.signal, restart.signal]) };
      let result: EmulateResult;
      try {
        // Each run is planned here, so `plan` is always what runs: the next save is compared with it.
        if (!first) plan = await planRun(planOptionsOf(options, graphFile));
        result = await emulate(
          { ...run, plan, warnExposure: first },
          {
            ...reporter,
            started: (engine: HasOperationStats, runControl?: RunControl) => {
              control = runControl;
              reporter.started(engine, runControl);
            },
            dashboard: (url: string) => {
              // A restarted run's page comes back where the open browser tab looks for it.
              if (ui) ui = { host: ui.host, port: Number(new URL(url).port) };
              if (first) reporter.dashboard?.(url);
            },
          },
        );
      } catch (error) {
        // The first run's errors are the command's; later ones come from a change, which the next change may mend.
        if (first || options.signal.aborted) throw error;
        reporter.logLine(`watch: the run cannot start as the workspace is now: ${describeError(error)}`);
        reporter.note('watch: waiting for a change (Ctrl+C to stop)');
        await changed();
        if (options.signal.aborted && last) return last;
        continue;
      } finally {
        control = undefined;
      }
      last = result;
      reporter.result(result);
      if (options.signal.aborted) return result;
      // The embedded broker comes back where its clients knew it, also when it had picked a free port.
      if (result.mode === 'mqtt' && options.broker.broker === undefined) port = Number(new URL(result.broker).port);
      if (live) continue;
      reporter.note('watch: waiting for a change (Ctrl+C to stop)');
      await changed();
      if (options.signal.aborted) return result;
    }
  } finally {
    watcher.close();
  }
}

function workspaceOf(graphFile: string): string | undefined {
  try {
    return findWorkspaceRoot(dirname(graphFile));
  } catch {
    return undefined;
  }
}

/** Debug when the run loads the operator's debug build, else release. */
function buildModeOf(plan: RunPlan, root: string, name: string): BuildMode {
  const debugDir = join(root, OPERATORS_DIR, name, 'bin', 'debug') + sep;
  return [...plan.modulePaths.values()].some((path) => resolve(path).startsWith(debugDir)) ? 'debug' : 'release';
}
