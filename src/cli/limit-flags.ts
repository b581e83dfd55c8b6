import { Flags } from '@oclif/core';
import type { EmulatorSettings } from '../project/model.js';
import { DEFAULT_RUN_LIMITS, type RunLimits } from '../run/run-limits.js';
import { parseDuration, parseSizeMiB } from '../util/units.js';

/** Flags of every command that runs modules (`aio emulate`, `aio test`): how much each instance may take. */
export const limitFlags = {
  'call-deadline': Flags.string({
    description: `longest one module call may take; past it the item fails and the instance is replaced (e.g. 5s, 500ms; 0: none) [default: ${DEFAULT_RUN_LIMITS.callDeadlineMs / 1000}s]`,
  }),
  'init-deadline': Flags.string({
    description: `longest a module instance may take to start and run init [default: ${DEFAULT_RUN_LIMITS.initDeadlineMs / 1000}s]`,
  }),
  'memory-limit': Flags.string({
    description: `linear memory cap of each module instance; growing past it traps that item (e.g. 256MiB, 1GiB) [default: ${DEFAULT_RUN_LIMITS.memoryLimitMiB}MiB]`,
  }),
};

/** The run's limits: each flag, else the aio.yaml setting, else the default. */
export function runLimits(
  flags: { 'call-deadline'?: string | undefined; 'init-deadline'?: string | undefined; 'memory-limit'?: string | undefined },
  settings: EmulatorSettings = {},
): RunLimits {
  const callDeadline = flags['call-deadline'] ?? settings.callDeadline;
  const initDeadline = flags['init-deadline'] ?? settings.initDeadline;
  const memoryLimit = flags['memory-limit'] ?? settings.memoryLimit;
  return {
    callDeadlineMs: callDeadline === undefined ? DEFAULT_RUN_LIMITS.callDeadlineMs : parseDuration(callDeadline, 'the call deadline'),
    initDeadlineMs: initDeadline === undefined ? DEFAULT_RUN_LIMITS.initDeadlineMs : parseDuration(initDeadline, 'the init deadline'),
    memoryLimitMiB: memoryLimit === undefined ? DEFAULT_RUN_LIMITS.memoryLimitMiB : parseSizeMiB(memoryLimit, 'the memory limit'),
  };
}
