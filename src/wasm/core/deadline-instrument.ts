/**
 * Makes a core module bound its own calls, the way Wasmtime's fuel does: counters are decremented as the code
 * runs, and when one reaches zero the module calls the host (`aio:deadline`.`check`), which looks at the clock and
 * either returns fresh fuel or throws, ending the call at once on the calling thread. No thread hand-over per call.
 *
 * Two counters, so the hot path stays in registers: every loop header decrements a new local of its function (set
 * to full fuel at the function's entry), and the entry of every function that calls another decrements a new
 * global. An endless run needs a loop that never exits (its local runs out) or endless calls (the global runs out);
 * a function with neither runs straight through. A loop header costs four register operations and a branch.
 *
 * The rewrite: one type `[] -> [i32]` appended to the type section, one function import appended to the imports
 * (so every defined function's index moves up by one: calls, `ref.func`, exports, the start function, element
 * segments and the name section are renumbered), one mutable i32 global and one local per looping function
 * appended, and the checks inserted. Debug sections are dropped: their code offsets no longer hold (runs under a
 * debugger use the module as built, without a deadline).
 */
import { encodeUleb128 } from '../../util/leb128.js';
import { copyInstructions, type InstructionRewrite } from './instruction-rewrite.js';
import { ByteSink, SECTION, UnsupportedWasm, WasmCursor, customSectionName, insertSection, readSections, writeModule, type Section } from './wasm-bytes.js';

export const DEADLINE_IMPORT_MODULE = 'aio:deadline';
export const DEADLINE_IMPORT_NAME = 'check';
/** Function entries and loop iterations between two looks at the clock: ~10–100 µs of work, a ~50 ns look. */
export const DEADLINE_FUEL = 10_000;

const FUNC_TYPE = 0x60;
const I32 = 0x7f;
const IMPORT_FUNCTION = 0;
const IMPORT_GLOBAL = 3;
const EXPORT_FUNCTION = 0;

export { UnsupportedWasm };

/** The module, rewritten to call the deadline check; throws UnsupportedWasm for a module it cannot rewrite. */
export function instrumentForDeadline(module: Uint8Array): Uint8Array {
  const sections = readSections(module);
  const types = rewriteTypes(sections);
  const functionParams = definedFunctionParams(sections, types.params);
  const imports = rewriteImports(sections, types.checkType);
  const checkFunction = imports.functions;
  const rewrite: InstructionRewrite = { functionIndex: (index) => (index >= checkFunction ? index + 1 : index) };
  const fuelGlobal = rewriteGlobals(sections, imports.globals, rewrite);
  const counters = { global: fuelGlobal, check: checkFunction, functionParams };
  const out: Section[] = [];
  for (const section of sections) {
    if (section.id === SECTION.custom) {
      const name = customSectionName(section);
      if (name === 'name') out.push({ id: SECTION.custom, body: renumberNames(section.body, rewrite) });
      else if (!name.startsWith('.debug') && name !== 'sourceMappingURL' && name !== 'external_debug_info') out.push(section);
      continue;
    }
    if (section.id === SECTION.export) out.push({ id: section.id, body: renumberExports(section.body, rewrite) });
    else if (section.id === SECTION.start) out.push({ id: section.id, body: encodeBytes(rewrite.functionIndex(new WasmCursor(section.body).u32())) });
    else if (section.id === SECTION.element) out.push({ id: section.id, body: renumberElements(section.body, rewrite) });
    else if (section.id === SECTION.code) out.push({ id: section.id, body: instrumentCode(section.body, rewrite, counters) });
    else out.push(section);
  }
  return writeModule(module, out);
}

/** At a calling function's entry: `if (fuel == 0) fuel = check(); fuel -= 1` on the global. */
function globalCheck(global: number, check: number): number[] {
  const g = encodeUleb128(global);
  return [0x23, ...g, 0x45, 0x04, 0x40, 0x10, ...encodeUleb128(check), 0x24, ...g, 0x0b, 0x23, ...g, 0x41, 0x01, 0x6b, 0x24, ...g];
}

/** At a looping function's entry: `local = FUEL`. */
function localFill(local: number): number[] {
  return [0x41, ...encodeSleb32(DEADLINE_FUEL), 0x21, ...encodeUleb128(local)];
}

/** At a loop header: `if (--local == 0) local = check()`. */
function localCheck(local: number, check: number): Uint8Array {
  const l = encodeUleb128(local);
  return Uint8Array.from([0x20, ...l, 0x41, 0x01, 0x6b, 0x22, ...l, 0x45, 0x04, 0x40, 0x10, ...encodeUleb128(check), 0x21, ...l, 0x0b]);
}

/** The parameter count of each defined function, in order (the function section names each one's type). */
function definedFunctionParams(sections: Section[], typeParams: readonly number[]): number[] {
  const section = sections.find((s) => s.id === SECTION.function);
  if (!section) return [];
  const cursor = new WasmCursor(section.body);
  return Array.from({ length: cursor.u32() }, () => typeParams[cursor.u32()]!);
}

function rewriteTypes(sections: Section[]): { checkType: number; params: number[] } {
  const index = sections.findIndex((s) => s.id === SECTION.type);
  const body = index < 0 ? new Uint8Array([0]) : sections[index]!.body;
  const cursor = new WasmCursor(body);
  const count = cursor.u32();
  const params: number[] = [];
  for (let i = 0; i < count; i++) {
    const form = cursor.byte();
    // Recursive groups and subtypes (GC) would make "entries" and "types" differ: not rewritten.
    if (form !== FUNC_TYPE) throw new UnsupportedWasm(`type form 0x${form.toString(16)}`);
    for (let list = 0; list < 2; list++) {
      const length = cursor.u32();
      if (list === 0) params.push(length);
      for (let v = 0; v < length; v++) cursor.skipValueType();
    }
  }
  const out = new ByteSink();
  out.u32(count + 1);
  out.append(body, lebLength(body), body.length);
  out.push(FUNC_TYPE, 0, 1, I32);
  replaceOrInsert(sections, index, { id: SECTION.type, body: out.bytes() });
  return { checkType: count, params };
}

function rewriteImports(sections: Section[], checkType: number): { functions: number; globals: number } {
  const index = sections.findIndex((s) => s.id === SECTION.import);
  const body = index < 0 ? new Uint8Array([0]) : sections[index]!.body;
  const cursor = new WasmCursor(body);
  const count = cursor.u32();
  let functions = 0;
  let globals = 0;
  for (let i = 0; i < count; i++) {
    cursor.skipName();
    cursor.skipName();
    const kind = cursor.byte();
    if (kind === IMPORT_FUNCTION) {
      functions++;
      cursor.skipLeb();
    } else if (kind === 1) {
      cursor.skipValueType();
      cursor.skipLimits();
    } else if (kind === 2) cursor.skipLimits();
    else if (kind === IMPORT_GLOBAL) {
      globals++;
      cursor.skipValueType();
      cursor.skip(1);
    } else if (kind === 4) {
      cursor.skip(1);
      cursor.skipLeb();
    } else throw new UnsupportedWasm(`import kind ${kind}`);
  }
  const out = new ByteSink();
  out.u32(count + 1);
  out.append(body, lebLength(body), body.length);
  writeName(out, DEADLINE_IMPORT_MODULE);
  writeName(out, DEADLINE_IMPORT_NAME);
  out.push(IMPORT_FUNCTION);
  out.u32(checkType);
  replaceOrInsert(sections, index, { id: SECTION.import, body: out.bytes() });
  return { functions, globals };
}

/** Renumbers `ref.func` in global initialisers and appends the fuel global; returns its index. */
function rewriteGlobals(sections: Section[], importedGlobals: number, rewrite: InstructionRewrite): number {
  const index = sections.findIndex((s) => s.id === SECTION.global);
  const body = index < 0 ? new Uint8Array([0]) : sections[index]!.body;
  const cursor = new WasmCursor(body);
  const count = cursor.u32();
  const out = new ByteSink();
  out.u32(count + 1);
  for (let i = 0; i < count; i++) {
    const start = cursor.at;
    cursor.skipValueType();
    cursor.skip(1);
    out.append(body, start, cursor.at);
    copyInstructions(cursor, 'expression', out, rewrite);
  }
  out.push(I32, 1, 0x41, ...encodeSleb32(DEADLINE_FUEL), 0x0b);
  replaceOrInsert(sections, index, { id: SECTION.global, body: out.bytes() });
  return importedGlobals + count;
}

function renumberExports(body: Uint8Array, rewrite: InstructionRewrite): Uint8Array {
  const cursor = new WasmCursor(body);
  const count = cursor.u32();
  const out = new ByteSink();
  out.u32(count);
  for (let i = 0; i < count; i++) {
    const start = cursor.at;
    cursor.skipName();
    const kind = cursor.byte();
    out.append(body, start, cursor.at);
    const target = cursor.u32();
    out.u32(kind === EXPORT_FUNCTION ? rewrite.functionIndex(target) : target);
  }
  return out.bytes();
}

/** Element segments in all eight encodings: function index lists or constant expressions. */
function renumberElements(body: Uint8Array, rewrite: InstructionRewrite): Uint8Array {
  const cursor = new WasmCursor(body);
  const count = cursor.u32();
  const out = new ByteSink();
  out.u32(count);
  for (let i = 0; i < count; i++) {
    const flags = cursor.u32();
    out.u32(flags);
    if (flags > 7) throw new UnsupportedWasm(`element segment flags ${flags}`);
    const explicitTable = flags === 2 || flags === 6;
    const active = (flags & 1) === 0;
    if (explicitTable) out.u32(cursor.u32());
    if (active) copyInstructions(cursor, 'expression', out, rewrite);
    const usesExpressions = (flags & 4) !== 0;
    // Flags 0 and 4 have no element kind or reference type byte; the others do.
    if (flags !== 0 && flags !== 4) {
      const start = cursor.at;
      if (usesExpressions) cursor.skipValueType();
      else cursor.skip(1);
      out.append(body, start, cursor.at);
    }
    const items = cursor.u32();
    out.u32(items);
    for (let item = 0; item < items; item++) {
      if (usesExpressions) copyInstructions(cursor, 'expression', out, rewrite);
      else out.u32(rewrite.functionIndex(cursor.u32()));
    }
  }
  return out.bytes();
}

/**
 * Every function body: a fuel local (appended to its locals) checked at each loop header when it loops, the global
 * checked at its entry when it calls.
 */
function instrumentCode(
  body: Uint8Array,
  rewrite: InstructionRewrite,
  counters: { global: number; check: number; functionParams: readonly number[] },
): Uint8Array {
  const cursor = new WasmCursor(body);
  const count = cursor.u32();
  const out = new ByteSink();
  out.u32(count);
  const code = new ByteSink();
  const head = new ByteSink();
  const onEntry = globalCheck(counters.global, counters.check);
  for (let i = 0; i < count; i++) {
    const size = cursor.u32();
    const end = cursor.at + size;
    const groups = cursor.u32();
    const groupsStart = cursor.at;
    let locals = counters.functionParams[i]!;
    for (let g = 0; g < groups; g++) {
      locals += cursor.u32();
      cursor.skipValueType();
    }
    const groupsEnd = cursor.at;
    code.length = 0;
    const shape = copyInstructions(cursor, end, code, { ...rewrite, loopEntry: localCheck(locals, counters.check) });
    if (cursor.at !== end) throw new UnsupportedWasm(`function ${i} ends at byte ${cursor.at}, not ${end}`);
    head.length = 0;
    head.u32(groups + (shape.loops ? 1 : 0));
    head.append(body, groupsStart, groupsEnd);
    if (shape.loops) head.push(1, I32, ...localFill(locals));
    if (shape.calls) head.push(...onEntry);
    out.u32(head.length + code.length);
    out.append(head.bytes());
    out.append(code.bytes());
  }
  return out.bytes();
}

/** The name section's function, local and label names, under the functions' new indices. */
function renumberNames(body: Uint8Array, rewrite: InstructionRewrite): Uint8Array {
  const cursor = new WasmCursor(body);
  const out = new ByteSink();
  const nameStart = cursor.at;
  cursor.skipName();
  out.append(body, nameStart, cursor.at);
  while (cursor.at < body.length) {
    const id = cursor.byte();
    const size = cursor.u32();
    const end = cursor.at + size;
    if (id < 1 || id > 3) {
      out.push(id);
      out.u32(size);
      out.append(body, cursor.at, end);
      cursor.at = end;
      continue;
    }
    const sub = new ByteSink();
    const entries = cursor.u32();
    sub.u32(entries);
    for (let e = 0; e < entries; e++) {
      sub.u32(rewrite.functionIndex(cursor.u32()));
      const start = cursor.at;
      if (id === 1) cursor.skipName();
      else {
        const inner = cursor.u32();
        for (let n = 0; n < inner; n++) {
          cursor.skipLeb();
          cursor.skipName();
        }
      }
      sub.append(body, start, cursor.at);
    }
    out.push(id);
    out.u32(sub.length);
    out.append(sub.bytes());
    cursor.at = end;
  }
  return out.bytes();
}

function replaceOrInsert(sections: Section[], index: number, section: Section): void {
  if (index < 0) insertSection(sections, section);
  else sections[index] = section;
}

function writeName(out: ByteSink, name: string): void {
  const bytes = new TextEncoder().encode(name);
  out.u32(bytes.length);
  out.append(bytes);
}

function lebLength(bytes: Uint8Array): number {
  let length = 0;
  while (bytes[length++]! & 0x80);
  return length;
}

function encodeBytes(value: number): Uint8Array {
  return Uint8Array.from(encodeUleb128(value));
}

/** Signed LEB128 of a non-negative 32-bit value. */
function encodeSleb32(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if (value === 0 && (byte & 0x40) === 0) return [...out, byte];
    out.push(byte | 0x80);
  }
}
