import type { EngineObserver } from '../../engine/graph-engine.js';

/** One observer that tells each of `observers` everything, in their order. */
export function observeAll(...observers: EngineObserver[]): EngineObserver {
  return {
    crossed: (from, to, item) => observers.forEach((o) => o.crossed(from, to, item)),
    dropped: (operation, item, reason) => observers.forEach((o) => o.dropped(operation, item, reason)),
    failed: (operation, failure) => observers.forEach((o) => o.failed(operation, failure)),
    emitted: (operation, item, arm) => observers.forEach((o) => o.emitted?.(operation, item, arm)),
    folded: (operation, item, window) => observers.forEach((o) => o.folded?.(operation, item, window)),
    timed: (operation, micros) => observers.forEach((o) => o.timed?.(operation, micros)),
  };
}
