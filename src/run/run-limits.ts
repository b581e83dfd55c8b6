/**
 * What a run allows each module instance: how long a call and a start-up may take, and how much linear memory an
 * instance may have. The cluster runtime bounds these too; the emulator must, or one bad module hangs or sinks
 * the whole run. Set by `--call-deadline`, `--init-deadline`, `--memory-limit`, or `emulator:` in aio.yaml.
 */
import { DEFAULT_MEMORY_LIMIT_MIB } from '../wasm/load-component.js';
import type { ModuleLimits } from '../wasm/hosting/module-host.js';

export interface RunLimits extends ModuleLimits {
  /** Each instance's linear memory cap, in MiB. */
  memoryLimitMiB: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = {
  callDeadlineMs: 5000,
  initDeadlineMs: 30_000,
  memoryLimitMiB: DEFAULT_MEMORY_LIMIT_MIB,
};
