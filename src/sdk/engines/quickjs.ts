/**
 * The binding `aio build` bundles into operators built with componentize-qjs (QuickJS): u64 as number, `none` as
 * null, and one default-exported object per imported interface.
 */
import logger from 'wasm-graph:processor/logger@1.1.0';
import metrics from 'wasm-graph:processor/metrics@1.1.0';
import stateStore from 'wasm-graph:processor/state-store@1.1.0';
import schemaRegistry from 'wasm-graph:processor/schema-registry@1.1.0';
import { bindExports } from '../bind.js';
import { setHost } from '../host.js';
import type { OperatorKind } from '../operators.js';
import type { Abi } from '../wit-codec.js';
import { witHost } from './wit-host.js';

const abi: Abi = { u64: (value) => value, none: null };

// console, TextEncoder and TextDecoder come from ./quickjs-globals.js, which the build imports before the operator.

/** `module` names the log context: `<module>/<kind>`, as the AIO samples write it. */
export function componentExports(moduleExports: Record<string, unknown>, kinds: readonly OperatorKind[], module: string): Record<string, unknown> {
  setHost(witHost({ logger, metrics, stateStore, schemaRegistry }, abi));
  return bindExports(moduleExports, kinds, abi, module);
}
