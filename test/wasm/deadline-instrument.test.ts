/**
 * The rewrite that makes core modules bound their own calls (src/wasm/core/deadline-instrument.ts): a module's
 * behaviour is unchanged (calls, calls through tables, ref.func, start function, exports, names), a loop is ended
 * by the check, every fixture and example component is rewritten (WAT, QuickJS, SpiderMonkey), and what the
 * rewriter does not know is refused rather than guessed.
 */
import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { DEADLINE_FUEL, UnsupportedWasm, instrumentForDeadline } from '../../src/wasm/core/deadline-instrument.js';
import { loadComponentFile } from '../../src/wasm/load-component.js';
import { fixtureComponent, useSharedCache } from '../helpers/components.js';

async function wat(text: string): Promise<Uint8Array> {
  const { parse } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  return parse(text);
}

const SAMPLE = `(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (type $binary (func (param i32 i32) (result i32)))
  (table 2 funcref)
  (table $late 1 funcref)
  (elem (i32.const 0) $mul $sum_to)
  (elem declare func $mul)
  (global $started (mut i32) (i32.const 0))
  (global $f funcref (ref.func $mul))
  (func $mul (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
  ;; 1 + 2 + … + n, by a loop
  (func $sum_to (param $n i32) (param $unused i32) (result i32)
    (local $i i32) (local $total i32)
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $total (call $add (local.get $total) (local.get $i)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $total))
  (func $start (global.set $started (i32.const 7)))
  (start $start)
  (func (export "indirect") (param i32 i32 i32) (result i32)
    (call_indirect (type $binary) (local.get 1) (local.get 2) (local.get 0)))
  (func (export "via_ref") (param i32 i32) (result i32)
    (table.set $late (i32.const 0) (ref.func $mul))
    (call_indirect $late (type $binary) (local.get 0) (local.get 1) (i32.const 0)))
  (func (export "started") (result i32) (global.get $started))
  (func (export "spin") (loop $forever (br $forever)))
  (export "sum_to" (func $sum_to)))`;

function instantiate(bytes: Uint8Array, check: () => number): Record<string, (...args: number[]) => number> {
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, { env: { add: (a: number, b: number) => a + b }, 'aio:deadline': { check } });
  return instance.exports as Record<string, (...args: number[]) => number>;
}

describe('instrumenting core modules for the call deadline', () => {
  before(() => useSharedCache());

  it('keeps what a module does: direct and indirect calls, ref.func, the start function, exports', async () => {
    const plain = await wat(SAMPLE);
    const rewritten = instrumentForDeadline(plain);
    assert.doesNotThrow(() => new WebAssembly.Module(rewritten));
    let checks = 0;
    const original = instantiate(plain, () => 0);
    const bounded = instantiate(rewritten, () => (checks++, DEADLINE_FUEL));
    for (const exports of [original, bounded]) {
      assert.equal(exports['indirect']!(0, 6, 7), 42, 'call_indirect through the element segment to $mul');
      assert.equal(exports['indirect']!(1, 100, 0), 5050, 'call_indirect to the loop');
      assert.equal(exports['via_ref']!(3, 5), 15);
      assert.equal(exports['started']!(), 7, 'the start function ran');
    }
    assert.equal(bounded['sum_to']!(50_000, 0), original['sum_to']!(50_000, 0));
    assert.ok(checks >= Math.floor(50_000 / DEADLINE_FUEL), `the loop checked the clock ${checks} times`);
  });

  it('ends a loop when the check throws, and leaves the names section readable', async () => {
    const rewritten = instrumentForDeadline(await wat(SAMPLE));
    let checks = 0;
    const exports = instantiate(rewritten, () => {
      if (++checks === 3) throw new Error('past the deadline');
      return DEADLINE_FUEL;
    });
    assert.throws(() => exports['spin']!(), /past the deadline/);
    assert.equal(checks, 3);
    const customSections = (WebAssembly.Module as unknown as { customSections(m: WebAssembly.Module, name: string): ArrayBuffer[] }).customSections;
    const sections = customSections(new WebAssembly.Module(rewritten), 'name');
    assert.equal(sections.length, 1);
    assert.match(Buffer.from(sections[0]!).toString('latin1'), /sum_to/);
  });

  it('refuses a module it cannot rewrite (GC types) instead of guessing', async () => {
    const gc = await wat('(module (type $point (struct (field i32))) (func (export "f") (result i32) (i32.const 1)))');
    assert.throws(() => instrumentForDeadline(gc), UnsupportedWasm);
  });

  for (const fixture of ['conformance-wat', 'misbehaving', 'conformance-sdk-quickjs', 'conformance-sdk-spidermonkey', 'conformance-js']) {
    it(`rewrites every core module of ${fixture}`, async () => {
      const component = await loadComponentFile(fixtureComponent(fixture), 256, true);
      assert.equal(component.bounded, true, component.unboundedReason);
      const plain = await loadComponentFile(fixtureComponent(fixture), 256, false);
      assert.equal(plain.bounded, false);
    });
  }
});
