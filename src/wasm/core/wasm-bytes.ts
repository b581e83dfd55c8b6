/**
 * Reading and writing the parts of the WebAssembly binary format a module rewriter needs: a cursor over LEB128
 * integers, names and value types, a growing output buffer, and the module's sections. Written here rather than
 * taken from a library: the ones on npm either parse into a whole object tree (binaryen, ~10 MB of wasm to load at
 * start and a second to round-trip a 10 MB module) or stop at the MVP opcodes, while the rewrite aio needs touches
 * a few immediates and copies everything else byte for byte.
 */
import { grownBuffer } from '../../util/grown-buffer.js';
import { encodeUleb128 } from '../../util/leb128.js';

/** A module the rewriter does not understand (an opcode or a type form it has no table for). */
export class UnsupportedWasm extends Error {}

export class WasmCursor {
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
  ) {}

  byte(): number {
    if (this.at >= this.bytes.length) throw new UnsupportedWasm('unexpected end of module');
    return this.bytes[this.at++]!;
  }

  /** An unsigned LEB128 (u32) value. */
  u32(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = this.byte();
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) return value;
    }
  }

  /** Any LEB128 (signed or unsigned, up to 64 bits), skipped. */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }

  skip(count: number): void {
    this.at += count;
  }

  /** A name: its length, then its UTF-8 bytes. */
  skipName(): void {
    const length = this.u32();
    this.at += length;
  }

  /** A value type: a one-byte type, or `(ref null? <heap type>)`. */
  skipValueType(): void {
    const first = this.byte();
    if (first === 0x63 || first === 0x64) this.skipLeb();
  }

  /** A block type: empty, one value type, or a type index (s33). */
  skipBlockType(): void {
    const first = this.bytes[this.at]!;
    if (first === 0x63 || first === 0x64) {
      this.at++;
      this.skipLeb();
    } else if (first >= 0x40 && first < 0x80) this.at++;
    else this.skipLeb();
  }

  /** Table or memory limits. */
  skipLimits(): void {
    const flags = this.byte();
    if (flags & ~0x07) throw new UnsupportedWasm(`limits with flags 0x${flags.toString(16)}`);
    this.skipLeb();
    if (flags & 1) this.skipLeb();
  }
}

/** Output bytes, growing as needed. */
export class ByteSink {
  private buffer = new Uint8Array(1024);
  length = 0;

  push(...values: number[]): void {
    this.reserve(values.length);
    for (const value of values) this.buffer[this.length++] = value;
  }

  append(bytes: Uint8Array, from = 0, to = bytes.length): void {
    this.reserve(to - from);
    this.buffer.set(bytes.subarray(from, to), this.length);
    this.length += to - from;
  }

  u32(value: number): void {
    this.push(...encodeUleb128(value));
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(more: number): void {
    this.buffer = grownBuffer(this.buffer, this.length, this.length + more);
  }
}

export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

/** The order the binary format requires of the known sections (custom sections may go anywhere). */
const SECTION_ORDER: readonly number[] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

export interface Section {
  id: number;
  /** The section's contents, without its id and size. */
  body: Uint8Array;
}

export const WASM_HEADER_BYTES = 8;

/** A core module's sections, in order. */
export function readSections(module: Uint8Array): Section[] {
  const cursor = new WasmCursor(module, WASM_HEADER_BYTES);
  const sections: Section[] = [];
  while (cursor.at < module.length) {
    const id = cursor.byte();
    const size = cursor.u32();
    sections.push({ id, body: module.subarray(cursor.at, cursor.at + size) });
    cursor.skip(size);
  }
  return sections;
}

/** Puts a new known section where the binary format's order wants it. */
export function insertSection(sections: Section[], section: Section): void {
  const rank = SECTION_ORDER.indexOf(section.id);
  const before = sections.findIndex((s) => s.id !== SECTION.custom && SECTION_ORDER.indexOf(s.id) > rank);
  if (before < 0) sections.push(section);
  else sections.splice(before, 0, section);
}

/** The module's header followed by these sections. */
export function writeModule(header: Uint8Array, sections: readonly Section[]): Uint8Array {
  const out = new ByteSink();
  out.append(header, 0, WASM_HEADER_BYTES);
  for (const { id, body } of sections) {
    out.push(id);
    out.u32(body.length);
    out.append(body);
  }
  return out.bytes();
}

/** The name of a custom section. */
export function customSectionName(section: Section): string {
  const cursor = new WasmCursor(section.body);
  const length = cursor.u32();
  return new TextDecoder().decode(section.body.subarray(cursor.at, cursor.at + length));
}
