/**
 * The aio operator SDK for JavaScript and TypeScript (`aio-graph-cli/sdk`). Define an operator over decoded
 * messages; `aio build` binds it to the WIT interface (wasm-graph:processor@1.1.0) and builds a component.
 *
 *   import { defineMap, log, metrics } from 'aio-graph-cli/sdk';
 *   export const map = defineMap({
 *     process(message) {
 *       metrics.counter('converted');
 *       return { json: { ...message.json(), seen: true } };
 *     },
 *   });
 */
export { Message, timestampAt, timestampMillis, type MessageUpdate, type Timestamp } from './message.js';
export {
  Config,
  ConfigError,
  defineAccumulate,
  defineBranch,
  defineDelay,
  defineFilter,
  defineMap,
  type AccumulateOperator,
  type BranchOperator,
  type DelayOperator,
  type FilterOperator,
  type InitResult,
  type MapOperator,
  type Operator,
  type OperatorKind,
} from './operators.js';
export { log, metrics, schemaRegistry, stateStore, type Labels, type LogLevel, type Schema, type SetOptions } from './host.js';
export { utf8Decode, utf8Encode } from './utf8.js';
