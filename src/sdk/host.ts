/**
 * The host services an operator may call: log, metrics, state store, schema registry. Operator code calls the
 * wrappers below; the component binding (engines/*.ts) or the test host (testing.ts) installs what they call.
 * Keeping WIT imports out of this file is what lets operator code run in plain Node for unit tests.
 */
import { utf8Decode, utf8Encode } from './utf8.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical';
export type Labels = Record<string, string>;

/** What a host provides, in plain JavaScript values. */
export interface Host {
  log(level: LogLevel, context: string, message: string): void;
  addToCounter(name: string, value: number, labels: Labels | undefined): void;
  recordToHistogram(name: string, value: number, labels: Labels | undefined): void;
  stateGet(key: Uint8Array): Uint8Array | undefined;
  /** False when a condition kept the value from being written. */
  stateSet(key: Uint8Array, value: Uint8Array, options: SetOptions): boolean;
  /** How many keys were deleted (0 or 1). */
  stateDelete(key: Uint8Array): number;
  schemaGet(id: string, version: string): Schema;
}

export interface SetOptions {
  /** Write only when the key does not exist yet. */
  ifAbsent?: boolean;
  /** Let the key expire after this many milliseconds. */
  expiresMs?: number;
}

export interface Schema {
  name: string;
  version: string;
  format: string;
  content: string;
}

let host: Host | undefined;
let context = 'operator';

/** Installs the host (the binding does this once per component; tests per case). */
export function setHost(next: Host | undefined): void {
  host = next;
}

/** The context logs are written with: `<module>/<kind>` of the operator the host is calling (set by the binding). */
export function setLogContext(next: string): void {
  context = next;
}

function current(): Host {
  if (host === undefined)
    throw new Error('aio SDK: no host is installed (run operator code in a component built by `aio build`, or in tests through aio-graph-cli/sdk/testing)');
  return host;
}

/** Writes to the module log (the run's log file under `aio emulate`, the cluster's logs in AIO). */
export const log = {
  trace: (message: string): void => current().log('trace', context, message),
  debug: (message: string): void => current().log('debug', context, message),
  info: (message: string): void => current().log('info', context, message),
  warn: (message: string): void => current().log('warn', context, message),
  error: (message: string): void => current().log('error', context, message),
  critical: (message: string): void => current().log('critical', context, message),
};

/** Counters and histograms, exported by the host with the operation as a label. */
export const metrics = {
  /** Adds `value` (default 1, a whole number ≥ 0) to a counter. */
  counter: (name: string, value = 1, labels?: Labels): void => current().addToCounter(name, value, labels),
  /** Records one observation into a histogram. */
  histogram: (name: string, value: number, labels?: Labels): void => current().recordToHistogram(name, value, labels),
};

/** The distributed state store (keys and values as text or bytes), shared by every operator of a graph. */
export const stateStore = {
  /** The value as text, or undefined when the key is absent. */
  get(key: string | Uint8Array): string | undefined {
    const bytes = current().stateGet(asBytes(key));
    return bytes === undefined ? undefined : utf8Decode(bytes);
  },
  /** The value as bytes, or undefined when the key is absent. */
  getBytes(key: string | Uint8Array): Uint8Array | undefined {
    return current().stateGet(asBytes(key));
  },
  /** Writes a value; false when `ifAbsent` kept it from being written. */
  set(key: string | Uint8Array, value: string | Uint8Array, options: SetOptions = {}): boolean {
    return current().stateSet(asBytes(key), asBytes(value), options);
  },
  /** Deletes a key; true when it existed. */
  delete(key: string | Uint8Array): boolean {
    return current().stateDelete(asBytes(key)) > 0;
  },
};

/** Schemas by id and version from the schema registry. */
export const schemaRegistry = {
  get: (id: string, version: string): Schema => current().schemaGet(id, version),
};

function asBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? utf8Encode(value) : value;
}
