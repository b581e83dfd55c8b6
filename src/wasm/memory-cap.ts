/**
 * Caps the linear memory of a core WebAssembly module by rewriting the limits in its memory section. V8 has no
 * per-instance memory limit, but it honours a memory's declared maximum: `memory.grow` past it returns -1, and the
 * module's allocator then fails its item (Rust aborts, which traps) instead of taking the process's memory. Imported
 * memories are left alone: they are the defining module's memory, capped there, and a lower maximum still
 * satisfies the importer's declared type.
 */
import { encodeUleb128, readUleb128 } from '../util/leb128.js';

/** One WebAssembly page: 64 KiB. */
export const WASM_PAGE_BYTES = 65_536;
const MEMORY_SECTION = 5;
const HEADER_BYTES = 8;

export interface MemoryLimits {
  /** Initial size in pages. */
  min: number;
  /** Declared maximum in pages, if any. */
  max: number | undefined;
}

const COMPONENT_CORE_MODULE_SECTION = 1;

/** The memories the core modules inside a component define, as declared (top-level modules only). */
export function componentMemories(component: Uint8Array): MemoryLimits[] {
  const memories: MemoryLimits[] = [];
  let at = HEADER_BYTES;
  while (at < component.length) {
    const id = component[at++]!;
    const size = readUleb128(component, at);
    at = size.next;
    if (id === COMPONENT_CORE_MODULE_SECTION) memories.push(...declaredMemories(component.subarray(at, at + size.value)));
    at += size.value;
  }
  return memories;
}

/** The limits of every memory the module defines (not imports), as declared. */
export function declaredMemories(bytes: Uint8Array): MemoryLimits[] {
  const section = findSection(bytes, MEMORY_SECTION);
  if (!section) return [];
  return readMemories(bytes, section.start).memories.map(({ limits }) => limits);
}

/**
 * The module with each defined memory's maximum lowered to `maxPages` (never below its initial size, which it
 * needs to start). Memory64 and shared memories are returned as they are. Returns the input when nothing changes.
 */
export function capMemory(bytes: Uint8Array, maxPages: number): Uint8Array {
  const section = findSection(bytes, MEMORY_SECTION);
  if (!section) return bytes;
  const { memories, end } = readMemories(bytes, section.start);
  if (end !== section.end) return bytes; // not a layout this rewriter understands: leave the module as it is
  let changed = false;
  const body: number[] = [...encodeUleb128(memories.length)];
  for (const { flags, limits } of memories) {
    if (flags > 1) {
      body.push(...encodeLimits(flags, limits));
      continue;
    }
    const max = Math.max(limits.min, Math.min(limits.max ?? Infinity, maxPages));
    if (max !== limits.max) changed = true;
    body.push(...encodeLimits(1, { min: limits.min, max }));
  }
  if (!changed) return bytes;
  const head = bytes.subarray(0, section.headerStart);
  const tail = bytes.subarray(section.end);
  const sectionHeader = [MEMORY_SECTION, ...encodeUleb128(body.length)];
  const out = new Uint8Array(head.length + sectionHeader.length + body.length + tail.length);
  out.set(head, 0);
  out.set(sectionHeader, head.length);
  out.set(body, head.length + sectionHeader.length);
  out.set(tail, head.length + sectionHeader.length + body.length);
  return out;
}

interface Section {
  /** Offset of the section id byte. */
  headerStart: number;
  /** Offset of the section's contents. */
  start: number;
  end: number;
}

function findSection(bytes: Uint8Array, id: number): Section | undefined {
  let at = HEADER_BYTES;
  while (at < bytes.length) {
    const headerStart = at;
    const sectionId = bytes[at++]!;
    const size = readUleb128(bytes, at);
    at = size.next;
    if (sectionId === id) return { headerStart, start: at, end: at + size.value };
    at += size.value;
  }
  return undefined;
}

function readMemories(bytes: Uint8Array, start: number): { memories: Array<{ flags: number; limits: MemoryLimits }>; end: number } {
  const count = readUleb128(bytes, start);
  let at = count.next;
  const memories: Array<{ flags: number; limits: MemoryLimits }> = [];
  for (let i = 0; i < count.value; i++) {
    const flags = bytes[at++]!;
    const min = readUleb128(bytes, at);
    at = min.next;
    let max: number | undefined;
    if (flags & 1) {
      const read = readUleb128(bytes, at);
      max = read.value;
      at = read.next;
    }
    memories.push({ flags, limits: { min: min.value, max } });
  }
  return { memories, end: at };
}

function encodeLimits(flags: number, limits: MemoryLimits): number[] {
  return [flags, ...encodeUleb128(limits.min), ...(flags & 1 ? encodeUleb128(limits.max!) : [])];
}
