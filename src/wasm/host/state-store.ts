/**
 * An in-memory twin of the AIO distributed state store, shared by every operation of a run as the cluster's is.
 * Semantics follow the state store protocol: set conditions, expiry, versions as hybrid logical clocks, and
 * fencing tokens that protect a key once a write carried one (a later write needs a token at least as new).
 */
import { compareHlc, type Hlc } from '../../engine/hlc.js';

export type SetCondition = 'only-if-does-not-exist' | 'only-if-equal-or-does-not-exist' | 'unconditional';

export interface SetOptions {
  condition: SetCondition;
  /** Time to live in milliseconds. */
  expiresInMs?: number;
}

interface Entry {
  value: Uint8Array;
  version: Hlc;
  fencingToken?: Hlc;
  expiresAt?: number;
}

/** What modules use of the store: the module thread reaches the run's one store through these. */
export type StateStoreApi = Pick<StateStore, 'get' | 'set' | 'del' | 'vdel'>;

/** Errors the WIT `state-store-error` variant carries as `request-error`. */
export class StateStoreRequestError extends Error {}

export class StateStore {
  private readonly entries = new Map<string, Entry>();
  private lastVersion: Hlc = { secs: 0, nanos: 0, counter: 0, nodeId: 'aio-state-store' };

  constructor(private readonly now: () => number = Date.now) {}

  /** Seeds from `statestore.json`: an array of one-key objects, e.g. `[{"factoryId": "factoryA"}]`. */
  seed(pairs: Array<[string, string]>): void {
    for (const [key, value] of pairs) this.set(encode(key), encode(value), undefined, { condition: 'unconditional' });
  }

  get(key: Uint8Array): { value?: Uint8Array; version?: Hlc } {
    const entry = this.live(key);
    return entry ? { value: entry.value, version: entry.version } : {};
  }

  set(key: Uint8Array, value: Uint8Array, fencingToken: Hlc | undefined, options: SetOptions): { stored: boolean; version?: Hlc } {
    const existing = this.live(key);
    this.checkFencing(existing, fencingToken);
    if (existing && options.condition === 'only-if-does-not-exist') return { stored: false };
    if (existing && options.condition === 'only-if-equal-or-does-not-exist' && !sameBytes(existing.value, value)) {
      return { stored: false };
    }
    const version = this.nextVersion();
    const entry: Entry = { value: value.slice(), version, fencingToken: fencingToken ?? existing?.fencingToken };
    if (options.expiresInMs !== undefined) entry.expiresAt = this.now() + options.expiresInMs;
    this.entries.set(keyOf(key), entry);
    return { stored: true, version };
  }

  /** 1 when the key was deleted, 0 when it did not exist. */
  del(key: Uint8Array, fencingToken: Hlc | undefined): { deleted: number; version?: Hlc } {
    const existing = this.live(key);
    if (!existing) return { deleted: 0 };
    this.checkFencing(existing, fencingToken);
    this.entries.delete(keyOf(key));
    return { deleted: 1, version: this.nextVersion() };
  }

  /** Deletes only when the stored value equals `value`: 1 deleted, 0 no such key, -1 a different value. */
  vdel(key: Uint8Array, value: Uint8Array, fencingToken: Hlc | undefined): { deleted: number; version?: Hlc } {
    const existing = this.live(key);
    if (!existing) return { deleted: 0 };
    if (!sameBytes(existing.value, value)) return { deleted: -1 };
    return this.del(key, fencingToken);
  }

  /** Every live key and value as text, for summaries and tests. */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, entry] of this.entries) {
      if (!this.expired(entry)) out[Buffer.from(key, 'hex').toString('utf8')] = Buffer.from(entry.value).toString('utf8');
    }
    return out;
  }

  private live(key: Uint8Array): Entry | undefined {
    const id = keyOf(key);
    const entry = this.entries.get(id);
    if (entry && this.expired(entry)) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  private expired(entry: Entry): boolean {
    return entry.expiresAt !== undefined && entry.expiresAt <= this.now();
  }

  private checkFencing(existing: Entry | undefined, token: Hlc | undefined): void {
    if (!existing?.fencingToken) return;
    if (!token) throw new StateStoreRequestError('the key is protected by a fencing token; pass one');
    if (compareHlc(token, existing.fencingToken) < 0) {
      throw new StateStoreRequestError('fencing token is older than the one protecting the key');
    }
  }

  /** Versions are strictly increasing hybrid logical clocks, as the service returns. */
  private nextVersion(): Hlc {
    const millis = this.now();
    const secs = Math.floor(millis / 1000);
    const nanos = (millis - secs * 1000) * 1_000_000;
    const last = this.lastVersion;
    const physicalAhead = secs > last.secs || (secs === last.secs && nanos > last.nanos);
    this.lastVersion = physicalAhead ? { secs, nanos, counter: 0, nodeId: last.nodeId } : { ...last, counter: last.counter + 1 };
    return this.lastVersion;
  }
}

function keyOf(key: Uint8Array): string {
  return Buffer.from(key).toString('hex');
}

function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
