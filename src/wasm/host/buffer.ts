/**
 * The `buffer` resource: bytes the host lends a module for the length of one call. Modules built with today's
 * toolchains never drop the handles they receive, so the host frees every handle it lent when the call returns
 * (otherwise memory grows with each message). jco's handle tables are reached through the hook that
 * transpile-cache.ts adds to the generated code.
 */

/** jco reads this symbol to learn a host resource's representation number. */
const CABI_REP = Symbol.for('cabiRep');
/** jco marks live own handles with this bit in its tables. */
const T_FLAG = 1 << 30;
/** Our reps live in their own range, so they never collide with jco's per-table counters (which start at 1). */
const REP_BASE = 1 << 29;
let nextRep = 0;

/** The class handed to jco as `wasm-graph:processor/types`.Buffer. */
export class HostBuffer {
  readonly bytes: Uint8Array;
  /** The string these bytes encode, when lent from one: handed-back buffers then need no decoding. */
  readonly text: string | undefined;
  constructor(bytes: Uint8Array, text?: string) {
    this.bytes = bytes;
    this.text = text;
    nextRep = (nextRep + 1) % REP_BASE;
    (this as unknown as Record<symbol, number>)[CABI_REP] = REP_BASE + nextRep;
  }
  /** WIT `read: func() -> list<u8>`: the module gets its own copy. */
  read(): Uint8Array {
    return this.bytes;
  }
  get rep(): number {
    return (this as unknown as Record<symbol, number>)[CABI_REP]!;
  }
}

type HandleTable = number[];

/** One instance's resource tables, and the buffers lent during the current call. */
export class LentBuffers {
  private readonly tables: Array<{ table: () => HandleTable; captured: Map<number, unknown> }> = [];
  private readonly lent = new Set<number>();

  /** The imports entry the patched jco output calls once per imported resource type. */
  readonly hook = {
    register: (table: () => HandleTable, captured: Map<number, unknown>): void => {
      this.tables.push({ table, captured });
    },
  };

  /**
   * Forgets the resource tables of an instance that is being dropped (after a trap). Handles the guest had taken
   * over before it trapped are in no table the host can clear, and the dead instance's tables would otherwise be
   * kept, and counted, for as long as the operation runs.
   */
  forgetTables(): void {
    this.tables.length = 0;
  }

  /** Creates a buffer to pass into the module during this call. */
  lend(bytes: Uint8Array, text?: string): HostBuffer {
    const buffer = new HostBuffer(bytes, text);
    this.lent.add(buffer.rep);
    return buffer;
  }

  /** How many handles the module still holds; 0 after every `release`. */
  get outstanding(): number {
    let count = 0;
    for (const { captured } of this.tables) for (const rep of captured.keys()) if (rep >= REP_BASE) count++;
    return count;
  }

  /**
   * Frees the handles of every buffer lent since the last release that the module still holds. Handles the
   * module already dropped or gave back are not in the table any more and are skipped.
   */
  release(): void {
    if (this.lent.size === 0) return;
    for (const { table, captured } of this.tables) {
      const handles = table();
      for (let handle = 1; handle < handles.length >> 1; handle++) {
        const scope = handles[handle << 1]!;
        const value = handles[(handle << 1) + 1]!;
        if ((scope & T_FLAG) !== 0 || value === 0) continue; // a free slot
        const rep = value & ~T_FLAG;
        if (!this.lent.has(rep)) continue;
        // Same bookkeeping as jco's rscTableRemove: push the slot onto the free list.
        handles[handle << 1] = handles[0]! | T_FLAG;
        handles[0] = handle | T_FLAG;
        handles[(handle << 1) + 1] = 0;
        captured.delete(rep);
      }
      // jco remembers every rep it ever lowered, also those the module handed back (and which are no longer in the
      // table): forget all of this call's reps, or the set grows with every message.
      const created = (handles as unknown as { _createdReps?: Set<number> })._createdReps;
      if (created) for (const rep of this.lent) created.delete(rep);
    }
    this.lent.clear();
  }
}
