/**
 * Copies WebAssembly instructions byte for byte except where a rewrite applies: function indices (`call`,
 * `return_call`, `ref.func`) renumbered, and code inserted at the start of every loop body. To find those, every
 * instruction's immediates must be skipped correctly, so the table below covers the MVP, sign extension,
 * saturating truncation, bulk memory, reference types, SIMD (with relaxed SIMD), threads, tail calls, typed
 * function references and exception handling (legacy and `try_table`). GC instructions (0xFB) and anything unknown
 * are refused: the module then runs unrewritten (see deadline-instrument.ts).
 */
import { UnsupportedWasm, type ByteSink, type WasmCursor } from './wasm-bytes.js';

export interface InstructionRewrite {
  /** The new index of function `index`. */
  functionIndex(index: number): number;
  /** Inserted at the start of every loop body (after `loop <blocktype>`); none when undefined. */
  loopEntry?: Uint8Array | undefined;
}

/** What the copied code contains. */
export interface CodeShape {
  /** It calls a function (directly, indirectly or by reference). */
  calls: boolean;
  loops: boolean;
}

const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const TRY = 0x06;
const END = 0x0b;
const TRY_TABLE = 0x1f;
const CALL = 0x10;
const RETURN_CALL = 0x12;
const REF_FUNC = 0xd2;
/** call_indirect, return_call_indirect, call_ref, return_call_ref. */
const INDIRECT_CALLS = new Set([0x11, 0x13, 0x14, 0x15]);

/** Opcodes with one LEB128 immediate: labels, local/global/table/tag indices, memory indices, constants, heap types. */
const ONE_LEB = new Set([0x07, 0x08, 0x09, 0x0c, 0x0d, 0x14, 0x15, 0x18, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x3f, 0x40, 0x41, 0x42, 0xd0, 0xd5, 0xd6]);
/** Opcodes with no immediates outside the numeric range 0x45–0xC4. */
const NO_IMMEDIATE = new Set([0x00, 0x01, 0x05, 0x0a, 0x0b, 0x0f, 0x19, 0x1a, 0x1b, 0xd1, 0xd3, 0xd4]);

/**
 * Copies instructions from `cursor` into `out`, rewritten. With `end` a number, copies up to that offset (a
 * function body); with `end` 'expression', copies one constant expression through its final `end`.
 */
export function copyInstructions(cursor: WasmCursor, end: number | 'expression', out: ByteSink, rewrite: InstructionRewrite): CodeShape {
  const { bytes } = cursor;
  let copied = cursor.at;
  let depth = 0;
  let calls = false;
  let loops = false;
  const flush = (to: number): void => {
    out.append(bytes, copied, to);
    copied = to;
  };
  while (end === 'expression' || cursor.at < end) {
    const opcode = cursor.byte();
    if (opcode === CALL || opcode === RETURN_CALL || opcode === REF_FUNC) {
      calls ||= opcode !== REF_FUNC;
      flush(cursor.at);
      const index = cursor.u32();
      out.u32(rewrite.functionIndex(index));
      copied = cursor.at;
    } else if (opcode === LOOP) {
      cursor.skipBlockType();
      depth++;
      loops = true;
      if (rewrite.loopEntry) {
        flush(cursor.at);
        out.append(rewrite.loopEntry);
      }
    } else if (opcode === BLOCK || opcode === IF || opcode === TRY) {
      cursor.skipBlockType();
      depth++;
    } else if (opcode === END) {
      if (end === 'expression' && depth === 0) break;
      depth--;
    } else if (opcode === TRY_TABLE) {
      cursor.skipBlockType();
      depth++;
      skipCatchClauses(cursor);
    } else {
      calls ||= INDIRECT_CALLS.has(opcode);
      skipImmediates(cursor, opcode);
    }
  }
  flush(cursor.at);
  return { calls, loops };
}

function skipImmediates(cursor: WasmCursor, opcode: number): void {
  if (NO_IMMEDIATE.has(opcode) || (opcode >= 0x45 && opcode <= 0xc4)) return;
  if (ONE_LEB.has(opcode)) return cursor.skipLeb();
  if (opcode >= 0x28 && opcode <= 0x3e) return skipMemarg(cursor);
  switch (opcode) {
    case 0x0e: {
      const count = cursor.u32();
      for (let i = 0; i <= count; i++) cursor.skipLeb();
      return;
    }
    case 0x11: // call_indirect: type, table
    case 0x13: // return_call_indirect
      cursor.skipLeb();
      cursor.skipLeb();
      return;
    case 0x1c: {
      const count = cursor.u32();
      for (let i = 0; i < count; i++) cursor.skipValueType();
      return;
    }
    case 0x43:
      return cursor.skip(4);
    case 0x44:
      return cursor.skip(8);
    case 0xfc:
      return skipMiscImmediates(cursor, cursor.u32());
    case 0xfd:
      return skipSimdImmediates(cursor, cursor.u32());
    case 0xfe:
      return skipAtomicImmediates(cursor, cursor.u32());
    default:
      throw new UnsupportedWasm(`opcode 0x${opcode.toString(16)} at byte ${cursor.at - 1}`);
  }
}

function skipCatchClauses(cursor: WasmCursor): void {
  const count = cursor.u32();
  for (let i = 0; i < count; i++) {
    const kind = cursor.byte();
    if (kind === 0 || kind === 1) cursor.skipLeb(); // the tag
    cursor.skipLeb(); // the label
  }
}

/** Alignment (bit 6 set: a memory index follows), then the offset. */
function skipMemarg(cursor: WasmCursor): void {
  const align = cursor.u32();
  if (align & 0x40) cursor.skipLeb();
  cursor.skipLeb();
}

/** 0xFC: saturating truncation (0–7), bulk memory and table instructions (8–17). */
function skipMiscImmediates(cursor: WasmCursor, sub: number): void {
  const lebs = [0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1][sub];
  if (lebs === undefined) throw new UnsupportedWasm(`opcode 0xfc ${sub}`);
  for (let i = 0; i < lebs; i++) cursor.skipLeb();
}

/** 0xFD: SIMD. Loads and stores take a memarg, lane accesses a lane byte, the rest nothing. */
function skipSimdImmediates(cursor: WasmCursor, sub: number): void {
  if (sub <= 11 || sub === 92 || sub === 93) return skipMemarg(cursor);
  if (sub === 12 || sub === 13) return cursor.skip(16);
  if (sub >= 21 && sub <= 34) return cursor.skip(1);
  if (sub >= 84 && sub <= 91) {
    skipMemarg(cursor);
    return cursor.skip(1);
  }
  if (sub > 0x113) throw new UnsupportedWasm(`opcode 0xfd ${sub}`);
}

/** 0xFE: atomics. `atomic.fence` takes a zero byte; every other one a memarg. */
function skipAtomicImmediates(cursor: WasmCursor, sub: number): void {
  if (sub === 3) return cursor.skip(1);
  if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) return skipMemarg(cursor);
  throw new UnsupportedWasm(`opcode 0xfe ${sub}`);
}
