/** The benchmarks' graph: source → map → filter → sink on the hand-made WAT conformance component. */
export const MAP_FILTER_GRAPH = `metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: bench, version: "1.0.0" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: conformance/map, module: "conformance-wat:1.0.0" }
  - { operationType: filter, name: conformance/filter, module: "conformance-wat:1.0.0" }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: conformance/map } }
  - { from: { name: conformance/map }, to: { name: conformance/filter } }
  - { from: { name: conformance/filter }, to: { name: sink } }
`;
