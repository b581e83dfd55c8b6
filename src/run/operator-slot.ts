import type { Hlc } from '../engine/hlc.js';
import type { Item } from '../engine/message.js';
import type { Operator } from '../engine/operators.js';

/**
 * An operation's operator behind one more reference: the engine's nodes hold the slot, so a module swap
 * (`aio emulate --watch`) changes what they call between two items, with nothing else in the graph touched.
 */
export class OperatorSlot implements Operator {
  constructor(public target: Operator) {}

  map(item: Item): Item {
    return this.target.map(item);
  }

  filter(item: Item): boolean {
    return this.target.filter(item);
  }

  branch(item: Item): boolean {
    return this.target.branch(item);
  }

  accumulate(staged: Item, batch: Item[]): Item {
    return this.target.accumulate(staged, batch);
  }

  delay(item: Item): Hlc {
    return this.target.delay(item);
  }
}
