// The host interfaces as a component sees them. The builders resolve these imports; TypeScript only needs to know
// they exist. componentize-js exposes named functions, componentize-qjs a default object per interface.
declare module 'wasm-graph:processor/logger@1.1.0' {
  export function log(level: string, context: string, message: string): void;
  const logger: { log: typeof log };
  export default logger;
}
declare module 'wasm-graph:processor/metrics@1.1.0' {
  export function addToCounter(name: string, value: unknown, labels: unknown): void;
  export function recordToHistogram(name: string, value: unknown, labels: unknown): void;
  const metrics: { addToCounter: typeof addToCounter; recordToHistogram: typeof recordToHistogram };
  export default metrics;
}
declare module 'wasm-graph:processor/state-store@1.1.0' {
  export function get(key: Uint8Array, timeout: unknown): { response?: Uint8Array | null };
  export function set(key: Uint8Array, value: Uint8Array, timeout: unknown, fencingToken: unknown, options: unknown): { response: boolean };
  export function del(key: Uint8Array, fencingToken: unknown, timeout: unknown): { response: number | bigint };
  const stateStore: { get: typeof get; set: typeof set; del: typeof del };
  export default stateStore;
}
declare module 'wasm-graph:processor/schema-registry@1.1.0' {
  export function get(id: string, version: string, timeout: unknown): { name: string; version: string; format: { tag: string }; schemaContent: string };
  const schemaRegistry: { get: typeof get };
  export default schemaRegistry;
}
