/**
 * One binding per operator interface: how an engine call becomes a WIT call and back. Contracts, as the cluster
 * runtime applies them:
 * - map: one item in, one item out.
 * - filter: `true` keeps the item, `false` drops it.
 * - branch: `false` routes to the arm "False", `true` to the arm "True".
 * - accumulate: folds a batch of items into the staged value; the last fold of a window goes downstream.
 * - delay: returns the item's new timestamp.
 */
import type { Hlc } from '../engine/hlc.js';
import type { Item } from '../engine/message.js';
import type { LentBuffers } from './host/buffer.js';
import { fromWit, toWit, type WitDataModel } from './data-model.js';
import { fromWitHlc, toWitHlc, type WitHlc } from './wit-values.js';
import type { OperatorInterface } from './wit-names.js';

type Process = (...args: unknown[]) => unknown;

export const bindings = {
  map: (process: Process, lent: LentBuffers, item: Item): Item => fromWit(process(toWit(item, lent)) as WitDataModel, item),
  filter: (process: Process, lent: LentBuffers, item: Item): boolean => process(toWit(item, lent)) as boolean,
  branch: (process: Process, lent: LentBuffers, item: Item): boolean => process(toWitHlc(item.timestamp), toWit(item, lent)) as boolean,
  accumulate: (process: Process, lent: LentBuffers, staged: Item, batch: Item[]): Item =>
    fromWit(
      process(
        toWit(staged, lent),
        batch.map((item) => toWit(item, lent)),
      ) as WitDataModel,
      batch.at(-1) ?? staged,
    ),
  delay: (process: Process, lent: LentBuffers, item: Item): Hlc => fromWitHlc(process(toWit(item, lent), toWitHlc(item.timestamp)) as WitHlc),
} satisfies Record<OperatorInterface, (process: Process, lent: LentBuffers, ...args: never[]) => unknown>;

export type Bindings = typeof bindings;
