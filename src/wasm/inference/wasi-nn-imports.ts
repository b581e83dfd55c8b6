/**
 * The `wasi:nn@0.2.0-rc-2024-10-28` interfaces a module imports (the AIO samples' `snapshot` does), on
 * onnxruntime-node: `load` takes ONNX bytes, `load-by-name` a model file `<name>` or `<name>.onnx` in the graph's
 * `models/` folder or beside the graph. Only the ONNX encoding and the CPU target exist here; anything else is
 * the WIT error `unsupported-operation`. Errors are the WIT `error` resource, thrown so jco returns them as the
 * `err` case (a thrown JavaScript Error would be a trap instead).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { InferenceClient } from './inference-client.js';
import type { InferenceResponse, NnErrorCode, TensorType, TensorValue } from './inference-protocol.js';

class NnError {
  constructor(
    private readonly errorCode: NnErrorCode,
    private readonly message: string,
  ) {}

  code(): NnErrorCode {
    return this.errorCode;
  }

  data(): string {
    return this.message;
  }
}

class NnTensor {
  constructor(
    private readonly dimensions_: Uint32Array | number[],
    private readonly type_: TensorType,
    private readonly data_: Uint8Array,
  ) {}

  dimensions(): Uint32Array {
    return Uint32Array.from(this.dimensions_);
  }

  ty(): TensorType {
    return this.type_;
  }

  data(): Uint8Array {
    return this.data_;
  }

  toValue(name: string): TensorValue {
    return { name, type: this.type_, dims: [...this.dimensions_], data: this.data_ };
  }
}

export function wasiNnImports(client: InferenceClient, modelDirs: readonly string[]): Record<string, unknown> {
  const answered = (response: InferenceResponse): Extract<InferenceResponse, { ok: true }> => {
    if (!response.ok) throw new NnError(response.code, response.message);
    return response;
  };

  class GraphExecutionContext {
    constructor(private readonly session: number) {}

    compute(inputs: Array<[string, NnTensor]>): Array<[string, NnTensor]> {
      const response = answered(client.request({ op: 'run', session: this.session, inputs: inputs.map(([name, tensor]) => tensor.toValue(name)) }));
      return (response.outputs ?? []).map((out) => [out.name, new NnTensor(out.dims, out.type, out.data)]);
    }
  }

  class Graph {
    constructor(private readonly session: number) {}

    initExecutionContext(): GraphExecutionContext {
      return new GraphExecutionContext(this.session);
    }
  }

  const loadBytes = (model: Uint8Array): Graph => new Graph(answered(client.request({ op: 'load', model })).session!);

  return {
    'wasi:nn/errors': { Error: NnError },
    'wasi:nn/tensor': { Tensor: NnTensor },
    'wasi:nn/inference': { GraphExecutionContext },
    'wasi:nn/graph': {
      Graph,
      load(builder: Uint8Array[], encoding: string, target: string): Graph {
        if (encoding !== 'onnx' && encoding !== 'autodetect') throw new NnError('unsupported-operation', `this host runs ONNX models only, not ${encoding}`);
        if (target !== 'cpu') throw new NnError('unsupported-operation', `this host runs inference on the CPU only, not ${target}`);
        if (builder.length !== 1) throw new NnError('invalid-argument', `an ONNX model is one builder, not ${builder.length}`);
        return loadBytes(builder[0]!);
      },
      loadByName(name: string): Graph {
        const candidates = modelDirs.flatMap((dir) => [join(dir, name), join(dir, `${name}.onnx`)]);
        const file = name === '' || name.includes('..') ? undefined : candidates.find((path) => statSync(path, { throwIfNoEntry: false })?.isFile());
        if (!file) throw new NnError('not-found', `no model named "${name}": looked for ${candidates.join(', ')}`);
        return loadBytes(readFileSync(file));
      },
    },
  };
}
