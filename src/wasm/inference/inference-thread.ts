/**
 * The inference thread: ONNX models run here on onnxruntime-node (CPU). Its API is asynchronous, while a module's
 * call into `wasi:nn` is synchronous; so the calling thread posts a request and sleeps on a shared word, and this
 * thread, free to await, answers and wakes it (inference-client.ts).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { RESPONSE_READY, type InferenceRequest, type InferenceResponse, type TensorType, type TensorValue } from './inference-protocol.js';

const { port, shared } = workerData as { port: MessagePort; shared: SharedArrayBuffer };
const state = new Int32Array(shared);
const sessions: InferenceSession[] = [];

const ORT_TYPES: Partial<Record<TensorType, Tensor.Type>> = { FP16: 'float16', FP32: 'float32', FP64: 'float64', U8: 'uint8', I32: 'int32', I64: 'int64' };
const WIT_TYPES = Object.fromEntries(Object.entries(ORT_TYPES).map(([wit, ort]) => [ort, wit])) as Record<string, TensorType>;
const ELEMENT = {
  float16: Uint16Array,
  float32: Float32Array,
  float64: Float64Array,
  uint8: Uint8Array,
  int32: Int32Array,
  int64: BigInt64Array,
} as const;

let ort: typeof import('onnxruntime-node') | undefined;

async function handle(request: InferenceRequest): Promise<InferenceResponse> {
  ort ??= await import('onnxruntime-node');
  if (request.op === 'load') {
    try {
      sessions.push(await ort.InferenceSession.create(request.model));
      return { ok: true, session: sessions.length - 1 };
    } catch (error) {
      return { ok: false, code: 'invalid-encoding', message: `onnxruntime could not load the model: ${(error as Error).message}` };
    }
  }
  const session = sessions[request.session];
  if (!session) return { ok: false, code: 'invalid-argument', message: `no loaded graph ${request.session}` };
  const feeds: Record<string, Tensor> = {};
  for (const input of request.inputs) {
    const type = ORT_TYPES[input.type];
    if (!type) return { ok: false, code: 'unsupported-operation', message: `tensor type ${input.type} is not supported by onnxruntime here` };
    const Elements = ELEMENT[type as keyof typeof ELEMENT];
    const bytes = input.data.slice(); // aligned, and its own buffer
    feeds[input.name] = new ort.Tensor(type, new Elements(bytes.buffer, 0, bytes.byteLength / Elements.BYTES_PER_ELEMENT), input.dims);
  }
  try {
    const results = await session.run(feeds);
    const outputs: TensorValue[] = Object.entries(results).map(([name, tensor]) => {
      const data = tensor.data as ArrayBufferView;
      return {
        name,
        type: WIT_TYPES[tensor.type] ?? 'FP32',
        dims: [...tensor.dims],
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice(),
      };
    });
    return { ok: true, outputs };
  } catch (error) {
    return { ok: false, code: 'runtime-error', message: `onnxruntime: ${(error as Error).message}` };
  }
}

port.on('message', (request: InferenceRequest) => {
  void handle(request)
    .catch((error: unknown): InferenceResponse => ({ ok: false, code: 'runtime-error', message: `inference host: ${(error as Error).message}` }))
    .then((response) => {
      port.postMessage(response);
      Atomics.store(state, 0, RESPONSE_READY);
      Atomics.notify(state, 0);
    });
});
