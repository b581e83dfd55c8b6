/**
 * JavaScript sources written for componentize-js (directly against the WIT, using TextDecoder, TextEncoder and
 * console) build with the default engine, QuickJS, and run the same; a Web API QuickJS still lacks is a build error
 * that names it and the engine that has it, whether the source uses it in a function or at its top level.
 */
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { BuildReport } from '../../src/build/build-workspace.js';

const SOURCE = `// Written for componentize-js, directly against the WIT.
import { log } from 'wasm-graph:processor/logger@1.1.0';

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const read = (v) => (v.tag === 'buffer' ? v.val.read() : v.val);

export const map = {
  init(configuration) {
    log('info', 'raw', \`properties: \${configuration.properties.length}\`);
    return true;
  },
  process(item) {
    const m = item.val;
    const body = JSON.parse(decoder.decode(read(m.payload)));
    body.note = 'größer';
    console.log('mapped', body.value);
    return { tag: 'message', val: { ...m, payload: { tag: 'bytes', val: encoder.encode(JSON.stringify(body)) } } };
  },
};
`;

describe('a componentize-js source on the default engine', () => {
  let ws: string;
  let source: string;
  before(async () => {
    const parent = await makeTempDir();
    ws = join(parent, 'raw');
    assert.equal((await runCli(['init', 'raw', '--lang', 'js', '--operator', 'upper', '--type', 'map'], { cwd: parent })).code, 0);
    source = join(ws, 'operators', 'upper', 'src', 'index.js');
    await writeFile(source, SOURCE);
    await writeFile(join(ws, 'operators', 'upper', 'operator.json'), JSON.stringify({ language: 'javascript', operators: ['map'] }));
  });

  it('builds with QuickJS using TextDecoder, TextEncoder and console, and runs the same in aio emulate', async () => {
    const build = await runCli(['build', '--json'], { cwd: ws });
    assert.equal(build.code, 0, build.stdout + build.stderr);
    const report = JSON.parse(build.stdout) as BuildReport;
    assert.deepEqual(
      report.operators.map((o) => [o.engine, o.status]),
      [['quickjs', 'built']],
    );
    const emulate = await runCli(['emulate', '--data', 'data'], { cwd: ws });
    assert.equal(emulate.code, 0, emulate.stderr);
    const output = join(ws, 'data', 'output');
    const file = (await readdir(output)).find((f) => f.endsWith('.txt'))!;
    const sink = JSON.parse(await readFile(join(output, file), 'utf8')) as { payload: unknown };
    assert.deepEqual(sink.payload, { value: 42, unit: 'C', note: 'größer' });
    const log = await readFile(join(output, 'logs', 'host-app.log'), 'utf8');
    assert.match(log, /\[module-upper\/map\] raw: properties: 1/);
    assert.match(log, /INFO +\[module-upper\/map\] console: mapped 42/);
  });

  it('an API only SpiderMonkey has, used in a function, fails the QuickJS build naming it and the engine', async () => {
    await writeFile(
      source,
      SOURCE.replace("console.log('mapped', body.value);", "console.log('mapped', body.value);\n    if (body.url) fetch(new URL(body.url));"),
    );
    const result = await runCli(['build', '--json'], { cwd: ws });
    assert.equal(result.code, 3, result.stdout);
    const error = (JSON.parse(result.stdout) as BuildReport).operators[0]!.error!;
    assert.equal(error.code, 'AIO_BUILD_JS_API_MISSING');
    assert.equal(error.message, 'src/index.js: uses `URL`, `fetch`, which QuickJS builds (componentize-qjs, the default engine) do not have');
    assert.match(error.hint!, /SpiderMonkey \(componentize-js\) has them: build with `aio build --js-engine spidermonkey`/);
    // A name the source declares itself is its own, not the Web API.
    await writeFile(source, `function fetch(x) { return x; }\n${SOURCE.replace("console.log('mapped', body.value);", 'fetch(body);')}`);
    assert.equal((await runCli(['build'], { cwd: ws })).code, 0);
  });

  it('an API only SpiderMonkey has, used at the top level, fails the same way, not as a bare ReferenceError', async () => {
    await writeFile(
      source,
      SOURCE.replace('const encoder = new TextEncoder();', 'const encoder = new TextEncoder();\nconst kinds = [ReadableStream];').replace(
        "body.note = 'größer';",
        "body.note = 'größer' + kinds.length;",
      ),
    );
    const result = await runCli(['build'], { cwd: ws });
    assert.equal(result.code, 3, result.stdout);
    assert.match(result.stderr, /error AIO_BUILD_JS_API_MISSING: src\/index\.js: at its top level, uses `ReadableStream`, which QuickJS builds/);
    assert.match(result.stderr, /hint: SpiderMonkey \(componentize-js\) has it/);
    assert.ok(!looksLikeStackTrace(result.stderr), result.stderr);
  });
});
