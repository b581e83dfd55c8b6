/**
 * What can be asked of a running graph from outside its engine: the dashboard's questions, and module swaps
 * (`--watch`, `--follow-tags`). The graph worker answers on its thread (graph-worker.ts); a run whose engine is on
 * this thread answers here (`localControl`).
 */
import type { PreparedRun } from '../run/instantiate-run.js';
import { reconfigure, swapModuleFile, type ModuleSwapped, type Reconfiguration } from '../run/module-swap.js';
import { answer, type InspectionAnswer, type InspectionQuery, type RunObservation } from './inspection/run-observation.js';

export interface RunControl {
  inspect(query: InspectionQuery): Promise<InspectionAnswer>;
  /**
   * Swaps the module file at `path` into `operations` (by default those running that file); undefined when none
   * runs it or it is unchanged.
   */
  swapModule(path: string, operations?: readonly string[]): Promise<ModuleSwapped | undefined>;
  /** Starts operations anew with new parameters; resolves to the ones restarted. */
  reconfigure(changes: readonly Reconfiguration[]): Promise<string[]>;
  /** Sets these keys in the running state store (a changed statestore.json); the other keys stay. */
  seedStateStore(pairs: Array<[string, string]>): Promise<void>;
}

/** A question for the graph's thread, and what it answers. */
export type RunQuestion =
  | { what: 'inspect'; query: InspectionQuery }
  | { what: 'swap'; path: string; operations?: readonly string[] | undefined }
  | { what: 'reconfigure'; changes: readonly Reconfiguration[] }
  | { what: 'seed'; pairs: Array<[string, string]> };

export async function answerQuestion(prepared: PreparedRun, observation: RunObservation | undefined, question: RunQuestion): Promise<unknown> {
  switch (question.what) {
    case 'inspect':
      return answer(observation, question.query);
    case 'swap':
      return swapModuleFile(prepared, question.path, question.operations);
    case 'reconfigure':
      return reconfigure(prepared, question.changes);
    case 'seed':
      return prepared.services.stateStore.seed(question.pairs);
  }
}

/** The RunControl that puts each request to `ask` as a question. */
export function controlAsking(ask: (question: RunQuestion) => Promise<unknown>): RunControl {
  return {
    inspect: (query) => ask({ what: 'inspect', query }) as Promise<InspectionAnswer>,
    swapModule: (path, operations) => ask({ what: 'swap', path, operations }) as Promise<ModuleSwapped | undefined>,
    reconfigure: (changes) => ask({ what: 'reconfigure', changes }) as Promise<string[]>,
    seedStateStore: async (pairs) => void (await ask({ what: 'seed', pairs })),
  };
}

/** The control of a run whose engine runs on this thread. */
export function localControl(prepared: PreparedRun, observation: RunObservation | undefined): RunControl {
  return controlAsking((question) => answerQuestion(prepared, observation, question));
}
