import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capMemory, declaredMemories } from '../../src/wasm/memory-cap.js';

/** (module (memory (export "memory") 2 [max]) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))) */
async function moduleWithMemory(limits: string): Promise<Uint8Array> {
  const { parse } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  return parse(`(module (memory (export "memory") ${limits}) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`);
}

async function growBy(bytes: Uint8Array, pages: number): Promise<number> {
  const instance = new WebAssembly.Instance(await WebAssembly.compile(bytes), {});
  return (instance.exports['grow'] as (pages: number) => number)(pages);
}

describe('memory cap', () => {
  it('gives a memory without a maximum one, so growing past it is refused', async () => {
    const original = await moduleWithMemory('2');
    assert.deepEqual(declaredMemories(original), [{ min: 2, max: undefined }]);
    const capped = capMemory(original, 4);
    assert.deepEqual(declaredMemories(capped), [{ min: 2, max: 4 }]);
    assert.equal(await growBy(original, 10), 2, 'uncapped: grows');
    assert.equal(await growBy(capped, 10), -1, 'capped: refused');
    assert.equal(await growBy(capped, 2), 2, 'capped: growing up to the cap still works');
  });

  it('lowers a larger declared maximum, keeps a smaller one, and never goes below the initial size', async () => {
    assert.deepEqual(declaredMemories(capMemory(await moduleWithMemory('1 100'), 8)), [{ min: 1, max: 8 }]);
    const small = await moduleWithMemory('1 3');
    assert.equal(capMemory(small, 8), small, 'unchanged bytes when nothing changes');
    assert.deepEqual(declaredMemories(capMemory(await moduleWithMemory('6'), 4)), [{ min: 6, max: 6 }]);
  });

  it('leaves a module without a memory as it is', async () => {
    const { parse } = await import('@bytecodealliance/jco-transpile/wasm-tools');
    const bytes = await parse('(module (func (export "f")))');
    assert.equal(capMemory(bytes, 4), bytes);
  });
});
