/**
 * `aio emulate --break-on <operation>`: a debugger statement before each call of that operation's module, on the
 * thread that makes the call. With a debugger attached (`--inspect`) the run pauses here, `operation`, `method`
 * and `item` in scope; step into the call (F11) to enter the module's WebAssembly, and with the DWARF extension a
 * Rust debug build's source. Without a debugger attached the statement does nothing.
 */
import type { Hlc } from '../engine/hlc.js';
import type { Item } from '../engine/message.js';
import type { Operator } from '../engine/operators.js';

export function breakBefore(operator: Operator, operation: string): Operator {
  return {
    map: (item: Item): Item => (pauseBefore(operation, 'map', item), operator.map(item)),
    filter: (item: Item): boolean => (pauseBefore(operation, 'filter', item), operator.filter(item)),
    branch: (item: Item): boolean => (pauseBefore(operation, 'branch', item), operator.branch(item)),
    accumulate: (staged: Item, batch: Item[]): Item => (pauseBefore(operation, 'accumulate', staged), operator.accumulate(staged, batch)),
    delay: (item: Item): Hlc => (pauseBefore(operation, 'delay', item), operator.delay(item)),
  };
}

/** Where --break-on pauses: the next call is `method` of `operation`'s module, on `item`. */
export function pauseBefore(operation: string, method: string, item: Item): void {
  void operation;
  void method;
  void item;
  // eslint-disable-next-line no-debugger -- the point of --break-on: pause here when a debugger is attached
  debugger;
}
