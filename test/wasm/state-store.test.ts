import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StateStore, StateStoreRequestError } from '../../src/wasm/host/state-store.js';
import { compareHlc } from '../../src/engine/hlc.js';

const b = (text: string): Uint8Array => new TextEncoder().encode(text);
const t = (text: Uint8Array | undefined): string | undefined => (text ? Buffer.from(text).toString('utf8') : undefined);

describe('state store', () => {
  it('honours the three set conditions', () => {
    const store = new StateStore();
    assert.equal(store.set(b('k'), b('1'), undefined, { condition: 'only-if-does-not-exist' }).stored, true);
    assert.equal(store.set(b('k'), b('2'), undefined, { condition: 'only-if-does-not-exist' }).stored, false);
    assert.equal(store.set(b('k'), b('2'), undefined, { condition: 'only-if-equal-or-does-not-exist' }).stored, false);
    assert.equal(store.set(b('k'), b('1'), undefined, { condition: 'only-if-equal-or-does-not-exist' }).stored, true);
    assert.equal(store.set(b('k'), b('3'), undefined, { condition: 'unconditional' }).stored, true);
    assert.equal(t(store.get(b('k')).value), '3');
  });

  it('returns strictly increasing versions, also within one millisecond', () => {
    const store = new StateStore(() => 1_000);
    const v1 = store.set(b('a'), b('1'), undefined, { condition: 'unconditional' }).version!;
    const v2 = store.set(b('a'), b('2'), undefined, { condition: 'unconditional' }).version!;
    assert.ok(compareHlc(v2, v1) > 0);
    assert.deepEqual(store.get(b('a')).version, v2);
  });

  it('expires keys', () => {
    let now = 0;
    const store = new StateStore(() => now);
    store.set(b('k'), b('v'), undefined, { condition: 'unconditional', expiresInMs: 100 });
    now = 99;
    assert.equal(t(store.get(b('k')).value), 'v');
    now = 100;
    assert.equal(store.get(b('k')).value, undefined);
  });

  it('deletes and value-deletes with the protocol results', () => {
    const store = new StateStore();
    store.seed([['k', 'v']]);
    assert.equal(store.vdel(b('k'), b('other'), undefined).deleted, -1);
    assert.equal(store.vdel(b('k'), b('v'), undefined).deleted, 1);
    assert.equal(store.del(b('k'), undefined).deleted, 0);
  });

  it('protects a key written with a fencing token', () => {
    let now = 5_000;
    const store = new StateStore(() => now);
    const token = { secs: 10, nanos: 0, counter: 1, nodeId: 'leader' };
    store.set(b('k'), b('v1'), token, { condition: 'unconditional' });
    assert.throws(() => store.set(b('k'), b('x'), undefined, { condition: 'unconditional' }), StateStoreRequestError);
    assert.throws(() => store.set(b('k'), b('x'), { ...token, counter: 0 }, { condition: 'unconditional' }), /older/);
    assert.throws(() => store.del(b('k'), undefined), StateStoreRequestError);
    now++;
    assert.equal(store.set(b('k'), b('v2'), { ...token, counter: 2 }, { condition: 'unconditional' }).stored, true);
    assert.equal(store.del(b('k'), { ...token, counter: 2 }).deleted, 1);
  });
});
