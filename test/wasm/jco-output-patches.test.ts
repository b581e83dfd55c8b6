import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import { directSyncHostImports } from '../../src/wasm/jco-output-patches.js';
import { ENTRY_FILE, transpileCached } from '../../src/wasm/transpile-cache.js';
import { sha256Hex } from '../../src/wasm/component-world.js';
import { fixtureComponent, useSharedCache } from '../helpers/components.js';

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

/** The patched entry module the transpile cache holds for a fixture. */
async function cachedEntry(fixture: string): Promise<string> {
  const bytes = await readFile(fixtureComponent(fixture));
  const { dir } = await transpileCached(bytes, sha256Hex(bytes), async () => ({}));
  return readFile(join(dir, ENTRY_FILE), 'utf8');
}

describe('jco output patches', () => {
  before(() => {
    useSharedCache();
  });

  // A jco upgrade that changes the trampolines' form would silently lose the direct path; this notices.
  for (const fixture of ['conformance-wat', 'conformance-js', 'conformance-sdk-quickjs']) {
    it(`makes every sync host import of ${fixture} direct`, async () => {
      const js = await cachedEntry(fixture);
      const hostTrampolines = count(js, /const hostProvided = true;/g);
      assert.ok(hostTrampolines >= 3, `expected host import trampolines, found ${hostTrampolines}`);
      assert.equal(count(js, /const task = _aioDirectHostTask;/g), hostTrampolines);
      assert.equal(count(js, /: _trampoline\d+;/g), hostTrampolines);
      // What is left of jco's lowering is only the branch for imports declared async, which aio never declares.
      assert.equal(count(js, /_lowerImportBackwardsCompat\.bind\(/g), hostTrampolines);
      assert.doesNotMatch(js, /parentTask\.getLatestSubtask/);
    });
  }

  it('makes a sync import direct whether its result comes through memory or flat, and leaves async lowering alone', () => {
    const trampoline = (index: number, end: string) => `  const _trampoline${index} = function(arg0) {
    const hostProvided = true;
    let parentTask;
    let task;
    let subtask;
    const createTask = () => {
      const results = createNewCurrentTask({ componentIdx: -1, isAsync: false, entryFnName: 'f' });
      task = results[0];
    };
    taskCreation: { createTask(); }
    const started = task.enterSync();
    let ret = f();
    ${end}
  }
  _trampoline${index}.fnName = 'x#f${index}';
`;
    const lowering = (index: number, fields: string) => `  let trampoline${index} = _trampoline${index}.manuallyAsync ? null : _lowerImportBackwardsCompat.bind(
  null,
  {
    ${fields}
    importFn: _trampoline${index},
  },
  );
`;
    const noResult = 'task.resolve([ret]);\n    task.exit();';
    const js = [
      trampoline(0, noResult),
      trampoline(1, noResult),
      trampoline(2, 'task.resolve([toUint64(ret)]);\n    task.exit();\n    return toUint64(ret);'),
      trampoline(3, 'task.resolve([ret]);\n    task.exit();\n    return other;'),
      lowering(0, 'isAsync: false, resultLowerFns: [], hasResultPointer: false, funcTypeIsAsync: false,'),
      lowering(1, 'isAsync: true, resultLowerFns: [], hasResultPointer: true, funcTypeIsAsync: false,'),
      lowering(2, 'isAsync: false, resultLowerFns: [_lowerFlatU64], hasResultPointer: false, funcTypeIsAsync: false,'),
      lowering(3, 'isAsync: false, resultLowerFns: [_lowerFlatU32], hasResultPointer: false, funcTypeIsAsync: false,'),
    ].join('');
    const patched = directSyncHostImports(js);
    assert.match(patched, /trampoline0 = _trampoline0\.manuallyAsync \? null : _trampoline0;/);
    assert.match(patched, /trampoline2 = _trampoline2\.manuallyAsync \? null : _trampoline2;/, 'a flat result the trampoline returns itself');
    assert.equal(count(patched, /const task = _aioDirectHostTask;/g), 2);
    assert.equal(count(patched, /_lowerImportBackwardsCompat\.bind\(/g), 2);
    assert.equal(count(patched, /let parentTask;/g), 2, 'the async trampoline and the one returning something else keep their task setup');
    assert.equal(
      directSyncHostImports(js.replace('_trampoline0.fnName', '_trampoline0.manuallyAsync = true;\n  _trampoline0.fnName')).includes('_aioDirectHostTask'),
      false,
    );
  });
});
