/** What the inference client (inference-client.ts) and the inference thread (inference-thread.ts) exchange. */

/** The WIT `tensor-type` cases, as jco passes them. */
export type TensorType = 'FP16' | 'FP32' | 'FP64' | 'BF16' | 'U8' | 'I32' | 'I64';

export interface TensorValue {
  name: string;
  type: TensorType;
  dims: number[];
  /** Row-major element bytes, little-endian. */
  data: Uint8Array;
}

export type InferenceRequest = { op: 'load'; model: Uint8Array } | { op: 'run'; session: number; inputs: TensorValue[] };

/** The WIT `error-code` cases this host reports. */
export type NnErrorCode = 'invalid-argument' | 'invalid-encoding' | 'runtime-error' | 'unsupported-operation' | 'not-found';

export type InferenceResponse = { ok: true; session?: number; outputs?: TensorValue[] } | { ok: false; code: NnErrorCode; message: string };

/** The words of the shared state a request waits on. */
export const REQUEST_POSTED = 1;
export const RESPONSE_READY = 2;
