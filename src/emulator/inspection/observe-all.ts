import type { EngineObserver } from '../../engine/graph-engine.js';

/**
 * One observer that tells each of `observers` everything, in their order. Plain loops: these run several times
 * per item, and a closure per call showed in profiles.
 */
export function observeAll(...observers: EngineObserver[]): EngineObserver {
  return {
    crossed(from, to, item) {
      for (const o of observers) o.crossed(from, to, item);
    },
    dropped(operation, item, reason) {
      for (const o of observers) o.dropped(operation, item, reason);
    },
    failed(operation, failure) {
      for (const o of observers) o.failed(operation, failure);
    },
    emitted(operation, item, arm, note) {
      for (const o of observers) o.emitted?.(operation, item, arm, note);
    },
    folded(operation, item, window) {
      for (const o of observers) o.folded?.(operation, item, window);
    },
    timed(operation, micros) {
      for (const o of observers) o.timed?.(operation, micros);
    },
  };
}
