/**
 * `wasi:nn` (ONNX inference) for hosts without an inference runtime. A graph may reference a module that imports
 * it (the AIO samples' `snapshot` operator) while no message of the run reaches inference: such a module must load
 * and run. Every function and resource of the interfaces is present, and any call into them fails that item with
 * this error, which the host reports as the module's trap, naming wasi:nn.
 */
const INFERENCE_INTERFACES = ['wasi:nn/graph', 'wasi:nn/tensor', 'wasi:nn/inference', 'wasi:nn/errors'] as const;

export const INFERENCE_UNAVAILABLE =
  'the module called wasi:nn (ONNX inference), which aio emulate does not provide; this item fails, the others go on. Run inference in the cluster';

function unavailable(): never {
  throw new Error(INFERENCE_UNAVAILABLE);
}

/** Whatever jco asks of the interface (a function, a resource class, a static method) is `unavailable`. */
const anyMember = new Proxy({}, { get: () => unavailable });

export function inferenceUnavailableImports(): Record<string, unknown> {
  return Object.fromEntries(INFERENCE_INTERFACES.map((name) => [name, anyMember]));
}
