/**
 * A small ONNX model, written as the protobuf bytes of its ModelProto: `y = x * factor` on a float tensor of
 * shape [1, size]. Tests make their model here instead of shipping a binary file; the field numbers are those of
 * onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto).
 */
import { encodeUleb128 } from '../../src/util/leb128.js';

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FLOAT = 1; // TensorProto.DataType.FLOAT

type Field = number[];

const key = (field: number, wireType: number): number[] => encodeUleb128(field * 8 + wireType);
const int = (field: number, value: number): Field => [...key(field, VARINT), ...encodeUleb128(value)];
const bytes = (field: number, value: ArrayLike<number>): Field => [...key(field, LENGTH_DELIMITED), ...encodeUleb128(value.length), ...Array.from(value)];
const text = (field: number, value: string): Field => bytes(field, new TextEncoder().encode(value));
const message = (field: number, ...fields: Field[]): Field => bytes(field, fields.flat());

/** ValueInfoProto of a float tensor [1, size]. */
function floatTensorInfo(field: number, name: string, size: number): Field {
  const dims = [1, size].map((d) => message(1, int(1, d)));
  return message(field, text(1, name), message(2, message(1, int(1, FLOAT), message(2, ...dims))));
}

export function multiplyModel(factor: number, size: number): Uint8Array {
  const factorBytes = new Uint8Array(new Float32Array([factor]).buffer);
  const graph = message(
    7,
    message(1, text(1, 'x'), text(1, 'factor'), text(2, 'y'), text(3, 'multiply'), text(4, 'Mul')),
    text(2, 'multiply'),
    message(5, int(1, 1), int(2, FLOAT), text(8, 'factor'), bytes(9, factorBytes)),
    floatTensorInfo(11, 'x', size),
    floatTensorInfo(12, 'y', size),
  );
  return new Uint8Array([...int(1, 7), ...text(2, 'aio-tests'), ...graph, ...message(8, text(1, ''), int(2, 13))]);
}
