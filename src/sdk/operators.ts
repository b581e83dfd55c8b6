/**
 * Operator definitions. Each `define*` returns the operator as plain functions over decoded messages; the build
 * binds it to its WIT interface. The contract of each kind is the cluster's (wasm-graph:processor@1.1.0):
 *   map         one message in, one out
 *   filter      true keeps the message, false drops it
 *   branch      true routes to the arm "True", false to the arm "False"
 *   accumulate  folds a batch of messages sharing a timestamp into the staged value (empty the first time)
 *   delay       returns the message's new timestamp (for example the end of its window)
 * Throwing from `process` fails that item only: the host logs the error with the item's timestamp and goes on.
 */
import type { Message, MessageUpdate, Timestamp } from './message.js';

/** The operation's parameters from the graph's `moduleConfigurations`, as `init` receives them. */
export class Config {
  constructor(
    /** Every parameter as given. */
    readonly properties: Readonly<Record<string, string>>,
  ) {}

  /** The value, or `fallback` when the parameter is not set. */
  string(key: string, fallback?: string): string | undefined {
    return this.properties[key] ?? fallback;
  }

  /** The value as a number, `fallback` when not set; throws a ConfigError when it is set but not a number. */
  number(key: string, fallback: number): number {
    const raw = this.properties[key];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new ConfigError(`parameter ${key}=${JSON.stringify(raw)} is not a number`);
    return value;
  }

  /** The value as true/false (`true`, `false`, `1`, `0`), `fallback` when not set; throws a ConfigError otherwise. */
  boolean(key: string, fallback: boolean): boolean {
    const raw = this.properties[key]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new ConfigError(`parameter ${key}=${JSON.stringify(this.properties[key])} is not true or false`);
  }
}

/** A parameter with a bad value: `init` fails, and the host reports the message. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `init` may return false to refuse the configuration (the host then fails the graph's start), or nothing. */
export type InitResult = boolean | void;

interface Base {
  /** Called once with the operation's parameters before any message. */
  init?(config: Config): InitResult;
}

export interface MapOperator extends Base {
  process(message: Message): Message | MessageUpdate;
}
export interface FilterOperator extends Base {
  process(message: Message): boolean;
}
export interface BranchOperator extends Base {
  /** `timestamp` is the item's; the same as `message.timestamp` for messages. */
  process(message: Message, timestamp: Timestamp): boolean;
}
export interface AccumulateOperator extends Base {
  /** `staged` is the value folded so far (empty payload the first time, see `Message.json(fallback)`). */
  process(staged: Message, batch: Message[]): Message | MessageUpdate;
}
export interface DelayOperator extends Base {
  process(message: Message, timestamp: Timestamp): Timestamp;
}

export type OperatorKind = 'map' | 'filter' | 'branch' | 'accumulate' | 'delay';

interface KindOf {
  map: MapOperator;
  filter: FilterOperator;
  branch: BranchOperator;
  accumulate: AccumulateOperator;
  delay: DelayOperator;
}

/** A defined operator: its kind and its functions. */
export type Operator<K extends OperatorKind = OperatorKind> = KindOf[K] & { readonly kind: K; readonly [SDK_OPERATOR]: true };

/** Marks SDK definitions, so the binding tells them from objects written directly against the WIT. */
export const SDK_OPERATOR = Symbol.for('aio.sdk.operator');

function define<K extends OperatorKind>(kind: K, operator: KindOf[K]): Operator<K> {
  return Object.assign(Object.create(null) as object, operator, { kind, [SDK_OPERATOR]: true as const }) as Operator<K>;
}

export const defineMap = (operator: MapOperator): Operator<'map'> => define('map', operator);
export const defineFilter = (operator: FilterOperator): Operator<'filter'> => define('filter', operator);
export const defineBranch = (operator: BranchOperator): Operator<'branch'> => define('branch', operator);
export const defineAccumulate = (operator: AccumulateOperator): Operator<'accumulate'> => define('accumulate', operator);
export const defineDelay = (operator: DelayOperator): Operator<'delay'> => define('delay', operator);

export function isSdkOperator(value: unknown): value is Operator {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SDK_OPERATOR] === true;
}
