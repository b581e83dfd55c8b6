/**
 * The binding `aio build` bundles into operators built with componentize-js (SpiderMonkey): u64 as BigInt,
 * `none` as undefined, and named function imports per interface.
 */
import { log } from 'wasm-graph:processor/logger@1.1.0';
import { addToCounter, recordToHistogram } from 'wasm-graph:processor/metrics@1.1.0';
import { get, set, del } from 'wasm-graph:processor/state-store@1.1.0';
import { get as schemaGet } from 'wasm-graph:processor/schema-registry@1.1.0';
import { bindExports } from '../bind.js';
import { setHost } from '../host.js';
import type { OperatorKind } from '../operators.js';
import type { Abi } from '../wit-codec.js';
import { witHost } from './wit-host.js';

const abi: Abi = { u64: (value) => BigInt(value), none: undefined };

/** `module` names the log context: `<module>/<kind>`, as the AIO samples write it. */
export function componentExports(moduleExports: Record<string, unknown>, kinds: readonly OperatorKind[], module: string): Record<string, unknown> {
  setHost(witHost({ logger: { log }, metrics: { addToCounter, recordToHistogram }, stateStore: { get, set, del }, schemaRegistry: { get: schemaGet } }, abi));
  return bindExports(moduleExports, kinds, abi, module);
}
