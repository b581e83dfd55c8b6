/**
 * A new user's way from an empty folder to a running graph, through the real CLI: aio init, aio operator new for
 * every type, aio build (QuickJS, offline), aio emulate --data, aio test, aio operator test, aio module inspect.
 */
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { buildJson, sinkPayloads } from '../helpers/workspace-run.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const KINDS = ['filter', 'branch', 'accumulate', 'delay'] as const;

describe('aio init → operator new → build → emulate → test, in TypeScript', () => {
  let ws: string;
  before(async () => {
    const parent = await makeTempDir();
    ws = join(parent, 'demo');
    const init = await runCli(['init', 'demo', '--lang', 'ts', '--operator', 'conv', '--type', 'map'], { cwd: parent });
    assert.equal(init.code, 0, init.stderr);
    for (const kind of KINDS) {
      const added = await runCli(['operator', 'new', `my${kind}`, '--type', kind], { cwd: ws });
      assert.equal(added.code, 0, added.stderr);
    }
  });

  it('builds every operator into bin/release, each exporting its interface', async () => {
    const report = await buildJson(ws);
    assert.equal(report.ok, true, JSON.stringify(report.operators.map((o) => o.error)));
    assert.deepEqual(
      report.operators.map((o) => [o.name, o.status, o.engine, o.exports]),
      [
        ['conv', 'built', 'quickjs', ['map']],
        ['myaccumulate', 'built', 'quickjs', ['accumulate']],
        ['mybranch', 'built', 'quickjs', ['branch']],
        ['mydelay', 'built', 'quickjs', ['delay']],
        ['myfilter', 'built', 'quickjs', ['filter']],
      ],
    );
    for (const op of report.operators) {
      const inspect = await runCli(['module', 'inspect', join(ws, op.file), '--json']);
      assert.equal(inspect.code, 0, inspect.stdout);
      const world = JSON.parse(inspect.stdout) as { operators: string[]; runnable: boolean; size: number };
      assert.deepEqual(world.operators, op.exports);
      assert.equal(world.runnable, true);
      assert.equal(world.size, op.size);
    }
  });

  it('emulates the graph on data/ and passes the workspace test and every unit test', async () => {
    const emulate = await runCli(['emulate', '--data', 'data'], { cwd: ws });
    assert.equal(emulate.code, 0, emulate.stderr);
    assert.deepEqual(await sinkPayloads(join(ws, 'data')), [{ value: 84, unit: 'C', scaledBy: 2 }]);
    const log = await readFile(join(ws, 'data', 'output', 'logs', 'host-app.log'), 'utf8');
    assert.match(log, /INFO +\[module-conv\/map\] conv\/map: scaling values by 2/);
    const test = await runCli(['test'], { cwd: ws });
    assert.equal(test.code, 0, test.stdout + test.stderr);
    assert.match(test.stdout, /1 passed, 0 failed/);
    const unit = await runCli(['operator', 'test', '--json'], { cwd: ws });
    assert.equal(unit.code, 0, unit.stdout);
    const results = (JSON.parse(unit.stdout) as { operators: Array<{ name: string; status: string }> }).operators;
    assert.deepEqual(
      results.map((r) => r.status),
      ['passed', 'passed', 'passed', 'passed', 'passed'],
    );
  });

  it('rebuilds nothing when nothing changed, and only the operator whose source changed', async () => {
    const again = await buildJson(ws);
    assert.deepEqual(
      again.operators.map((o) => o.status),
      ['up-to-date', 'up-to-date', 'up-to-date', 'up-to-date', 'up-to-date'],
    );
    const source = join(ws, 'operators', 'myfilter', 'src', 'index.ts');
    await writeFile(source, (await readFile(source, 'utf8')).replace("config.number('max_value', 100)", "config.number('max_value', 99)"));
    const changed = await buildJson(ws);
    assert.deepEqual(
      changed.operators.map((o) => [o.name, o.status]),
      [
        ['conv', 'up-to-date'],
        ['myaccumulate', 'up-to-date'],
        ['mybranch', 'up-to-date'],
        ['mydelay', 'up-to-date'],
        ['myfilter', 'built'],
      ],
    );
    const debug = await buildJson(ws, ['conv', '--debug']);
    assert.deepEqual(
      debug.operators.map((o) => [o.name, o.status, o.file]),
      [['conv', 'built', join('operators', 'conv', 'bin', 'debug', 'conv.wasm')]],
    );
  });

  it('shows compile errors with file:line:column and still builds the other operators', async () => {
    const source = join(ws, 'operators', 'mybranch', 'src', 'index.ts');
    const original = await readFile(source, 'utf8');
    await writeFile(source, original.replace('const high =', 'const high = ='));
    try {
      const result = await runCli(['build', '--force'], { cwd: ws });
      assert.equal(result.code, 3);
      assert.match(result.stderr, /error AIO_BUILD_COMPILE_ERROR: mybranch: the typescript sources do not compile/);
      assert.match(result.stderr, /operators\/mybranch\/src\/index\.ts:\d+:\d+: error: Unexpected "="/);
      assert.match(result.stdout, /FAILED: 4 built, 0 up to date, 1 failed/);
      assert.ok(!looksLikeStackTrace(result.stderr), result.stderr);
    } finally {
      await writeFile(source, original);
    }
  });

  it('refuses a module that lacks the interface the graph asks of it, pointing at the operation', async () => {
    const graphFile = join(ws, 'graph.dataflow.yaml');
    const original = await readFile(graphFile, 'utf8');
    await writeFile(graphFile, original.replace('operationType: map\n    name: module-conv/map', 'operationType: filter\n    name: module-conv/map'));
    try {
      const result = await runCli(['build', 'conv'], { cwd: ws });
      assert.equal(result.code, 3);
      assert.match(result.stderr, /AIO_BUILD_INTERFACE_MISSING: conv\.wasm does not export filter/);
      assert.match(
        result.stderr,
        /graph\.dataflow\.yaml:\d+:\d+: error: operation module-conv\/map is a filter, but operators\/conv\/bin\/release\/conv\.wasm exports map/,
      );
    } finally {
      await writeFile(graphFile, original);
    }
  });
});

describe('a JavaScript workspace wired with --add-to-graph', () => {
  it('builds and runs the whole chain: map → filter → branch → delay → accumulate', async () => {
    const parent = await makeTempDir();
    const ws = join(parent, 'chain');
    assert.equal((await runCli(['init', 'chain', '--lang', 'js', '--operator', 'conv', '--type', 'map'], { cwd: parent })).code, 0);
    for (const kind of ['filter', 'branch', 'delay', 'accumulate']) {
      const added = await runCli(['operator', 'new', `w${kind}`, '--type', kind, '--add-to-graph'], { cwd: ws });
      assert.equal(added.code, 0, added.stderr);
      assert.match(added.stdout, /wired into graph\.dataflow\.yaml before the sink/);
    }
    assert.equal((await runCli(['graph', 'validate', 'graph.dataflow.yaml'], { cwd: ws })).code, 0);
    const report = await buildJson(ws);
    assert.equal(report.ok, true);
    assert.ok(report.operators.every((o) => o.language === 'javascript'));
    const emulate = await runCli(['emulate', '--data', 'data'], { cwd: ws });
    assert.equal(emulate.code, 0, emulate.stderr);
    assert.deepEqual(await sinkPayloads(join(ws, 'data')), [{ count: 1, min: 84, max: 84, sum: 84, average: 84 }]);
  });
});

describe('the JavaScript engines', () => {
  it('--js-engine spidermonkey builds the same operator to the same output as QuickJS', async () => {
    const parent = await makeTempDir();
    const ws = join(parent, 'engines');
    assert.equal((await runCli(['init', 'engines', '--lang', 'ts', '--operator', 'conv', '--type', 'map'], { cwd: parent })).code, 0);
    const quick = await buildJson(ws);
    assert.equal(quick.operators[0]!.engine, 'quickjs');
    assert.equal((await runCli(['emulate', '--data', 'data'], { cwd: ws })).code, 0);
    const quickOut = await sinkPayloads(join(ws, 'data'));
    const spider = await buildJson(ws, ['--js-engine', 'spidermonkey']);
    assert.deepEqual(
      spider.operators.map((o) => [o.engine, o.status]),
      [['spidermonkey', 'built']],
      'changing the engine rebuilds',
    );
    assert.ok(spider.operators[0]!.size! > 5 * quick.operators[0]!.size!, 'SpiderMonkey modules are several times larger');
    await rm(join(ws, 'data', 'output'), { recursive: true });
    assert.equal((await runCli(['emulate', '--data', 'data'], { cwd: ws })).code, 0);
    assert.deepEqual(await sinkPayloads(join(ws, 'data')), quickOut);
    assert.ok(existsSync(join(ws, 'operators', 'conv', 'bin', 'release', 'conv.wasm.build.json')));
  });
});

describe('every JavaScript template in a workspace of its own', () => {
  for (const kind of ['map', 'filter', 'branch', 'accumulate', 'delay'] as const) {
    it(`aio init --type ${kind}: builds, and its generated test passes`, async () => {
      const parent = await makeTempDir();
      assert.equal((await runCli(['init', kind, '--lang', 'js', '--operator', `my${kind}`, '--type', kind], { cwd: parent })).code, 0);
      const ws = join(parent, kind);
      assert.equal((await buildJson(ws)).ok, true);
      const test = await runCli(['test', '--json'], { cwd: ws });
      assert.equal(test.code, 0, test.stdout);
    });
  }
});

describe('an operator written directly against the WIT, without the SDK', () => {
  it('builds through aio build with the engine it pins, and runs unchanged', async () => {
    const parent = await makeTempDir();
    const ws = join(parent, 'raw');
    assert.equal((await runCli(['init', 'raw', '--lang', 'js', '--operator', 'upper', '--type', 'map'], { cwd: parent })).code, 0);
    const dir = join(ws, 'operators', 'upper');
    // componentize-qjs's conventions: a default import per interface, `null` for none, handles read by hand.
    await writeFile(
      join(dir, 'src', 'index.js'),
      `import logger from 'wasm-graph:processor/logger@1.1.0';
const upper = (bytes) => bytes.map((b) => (b >= 97 && b <= 122 ? b - 32 : b));
export const map = {
  init() { return true; },
  process(item) {
    const m = item.val;
    const read = (v) => (v.tag === 'buffer' ? v.val.read() : v.val);
    logger.log('info', 'raw', 'upper-casing');
    return { tag: 'message', val: { timestamp: { timestamp: m.timestamp.timestamp, counter: m.timestamp.counter, nodeId: { tag: 'string', val: 'raw' } },
      topic: { tag: 'bytes', val: read(m.topic) }, contentType: null, payload: { tag: 'bytes', val: upper(read(m.payload)) },
      properties: { userProperties: [] }, schema: null } };
  },
};
`,
    );
    await writeFile(join(dir, 'operator.json'), JSON.stringify({ language: 'javascript', operators: ['map'], jsEngine: 'quickjs' }));
    const report = await buildJson(ws, ['--js-engine', 'spidermonkey']);
    assert.deepEqual(
      report.operators.map((o) => [o.status, o.engine]),
      [['built', 'quickjs']],
      'the pinned engine wins over the flag',
    );
    assert.equal((await runCli(['emulate', '--data', 'data'], { cwd: ws })).code, 0);
    assert.deepEqual(await sinkPayloads(join(ws, 'data')), [{ VALUE: 42, UNIT: 'C' }]);
    assert.match(await readFile(join(ws, 'data', 'output', 'logs', 'host-app.log'), 'utf8'), /\[module-upper\/map\] raw: upper-casing/);
  });
});
