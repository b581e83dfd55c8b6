/**
 * `aio emulate --watch`: which saved file means what. An operator's source (anything under `operators/<name>/`
 * but its build output and tool folders) means rebuild that operator; the graph file, `statestore.json`,
 * `hostapp.env.list` and the payload schema it names each mean their own thing (watch-session.ts decides). Editors
 * save in bursts (a temporary file, a rename, a second write), so changes are reported once per file after
 * SETTLE_MS of quiet.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { OPERATORS_DIR } from '../../workspace/find-workspace.js';
import { HOST_ENV_FILE, STATE_STORE_FILE } from '../../run/workspace-files.js';

export type WatchChange =
  | { kind: 'operator'; name: string; file: string }
  | { kind: 'graph'; file: string }
  | { kind: 'state-store'; file: string }
  /** hostapp.env.list or the payload schema: read once when a run starts. */
  | { kind: 'run-file'; file: string };

export const SETTLE_MS = 150;

/** Folders inside an operator that builds and tools write to, not the developer. */
const NOT_SOURCE = new Set(['bin', 'target', 'node_modules', '.git', '__pycache__', 'dist', '.venv']);

export interface WatchTargets {
  graphFile: string;
  /** The workspace root, whose `operators/` are watched; none when the graph is not in a workspace. */
  workspaceRoot: string | undefined;
  /** The payload schema file, when hostapp.env.list names one. */
  schemaFile?: string | undefined;
}

export class WorkspaceWatcher {
  private readonly watchers: FSWatcher[] = [];
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly targets: WatchTargets,
    private readonly onChange: (change: WatchChange) => void,
  ) {
    const graphDir = dirname(resolve(targets.graphFile));
    this.watchDir(graphDir, false);
    if (targets.schemaFile && dirname(resolve(targets.schemaFile)) !== graphDir) this.watchDir(dirname(resolve(targets.schemaFile)), false);
    if (targets.workspaceRoot) this.watchDir(join(targets.workspaceRoot, OPERATORS_DIR), true);
  }

  close(): void {
    for (const watcher of this.watchers.splice(0)) watcher.close();
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private watchDir(dir: string, recursive: boolean): void {
    try {
      const watcher = watch(dir, { recursive }, (_event, name) => {
        if (name !== null) this.saw(join(dir, name.toString()));
      });
      watcher.on('error', () => undefined); // a folder removed while watched: nothing more to see there
      this.watchers.push(watcher);
    } catch {
      // A folder that does not exist (no operators/ yet) has nothing to watch.
    }
  }

  private saw(path: string): void {
    const change = this.classify(path);
    if (!change) return;
    const key = change.kind === 'operator' ? `operator:${change.name}` : change.file;
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.onChange(change);
      }, SETTLE_MS),
    );
  }

  private classify(path: string): WatchChange | undefined {
    const name = basename(path);
    if (name.startsWith('.') || name.endsWith('~') || name.endsWith('.swp')) return undefined;
    const file = resolve(path);
    const graphDir = dirname(resolve(this.targets.graphFile));
    if (file === resolve(this.targets.graphFile)) return { kind: 'graph', file };
    if (this.targets.schemaFile && file === resolve(this.targets.schemaFile)) return { kind: 'run-file', file };
    if (file === join(graphDir, STATE_STORE_FILE)) return { kind: 'state-store', file };
    if (file === join(graphDir, HOST_ENV_FILE)) return { kind: 'run-file', file };
    if (!this.targets.workspaceRoot) return undefined;
    const inside = relative(join(this.targets.workspaceRoot, OPERATORS_DIR), file).split(sep);
    if (inside.length < 2 || inside[0] === '..' || inside.slice(1, -1).some((part) => NOT_SOURCE.has(part))) return undefined;
    return { kind: 'operator', name: inside[0]!, file };
  }
}
