/** aio init and aio operator new: names, refusing to overwrite, the graph edits, and each language's files. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { makeTempDir, withTempDir } from '../helpers/temp-dir.js';
import { validateGraphText } from '../../src/graph/validate.js';
import { addOperatorToGraph, initialGraph } from '../../src/scaffold/graph-scaffold.js';
import { readOperatorManifest } from '../../src/workspace/operator-manifest.js';
import { OPERATOR_KINDS } from '../../src/workspace/operator-manifest.js';

describe('aio init and aio operator new', () => {
  it('refuses names the AIO tooling cannot build, says why, and writes nothing', async () => {
    await withTempDir(async (dir) => {
      for (const [name, why] of [
        ['my-op', /characters other than lowercase letters and digits/],
        ['Conv', /uppercase letters/],
        ['1st', /starts with a digit/],
        ['my_op', /characters other than/],
      ] as const) {
        const result = await runCli(['init', 'ws', '--lang', 'ts', '--operator', name, '--type', 'map', '--json'], { cwd: dir });
        assert.equal(result.code, 2, name);
        const error = (JSON.parse(result.stdout) as { error: { code: string; message: string; hint: string } }).error;
        assert.equal(error.code, 'AIO_OPERATOR_NAME_INVALID');
        assert.match(error.message, why);
        assert.match(error.hint, /lowercase letters and digits only/);
      }
      assert.equal(existsSync(join(dir, 'ws')), false);
    });
  });

  it('never overwrites: a second init, or an operator that exists, is refused with nothing changed', async () => {
    await withTempDir(async (dir) => {
      assert.equal((await runCli(['init', 'ws', '--lang', 'js', '--operator', 'conv', '--type', 'map'], { cwd: dir })).code, 0);
      const graph = await readFile(join(dir, 'ws', 'graph.dataflow.yaml'), 'utf8');
      const again = await runCli(['init', 'ws', '--lang', 'ts', '--operator', 'other', '--type', 'filter'], { cwd: dir });
      assert.equal(again.code, 3);
      assert.match(again.stderr, /AIO_SCAFFOLD_FILES_EXIST: aio init would overwrite \d+ existing file\(s\): .*graph\.dataflow\.yaml/);
      assert.match(again.stderr, /Nothing was written/);
      assert.ok(!looksLikeStackTrace(again.stderr));
      assert.equal(await readFile(join(dir, 'ws', 'graph.dataflow.yaml'), 'utf8'), graph);
      assert.equal(existsSync(join(dir, 'ws', 'operators', 'other')), false);
      const dup = await runCli(['operator', 'new', 'conv', '--type', 'filter'], { cwd: join(dir, 'ws', 'data') });
      assert.equal(dup.code, 3);
      assert.match(dup.stderr, /AIO_OPERATOR_EXISTS/);
      const outside = await runCli(['operator', 'new', 'x', '--type', 'map'], { cwd: dir });
      assert.equal(outside.code, 3);
      assert.match(outside.stderr, /AIO_WORKSPACE_NOT_FOUND[\s\S]*aio init/);
    });
  });

  it('writes a workspace the AIO tooling reads: graph, aio.yaml, data, a test descriptor, .gitignore, .vscode', async () => {
    await withTempDir(async (dir) => {
      assert.equal((await runCli(['init', '.', '--name', 'factory', '--lang', 'ts', '--operator', 'conv', '--type', 'map'], { cwd: dir })).code, 0);
      const graph = validateGraphText(join(dir, 'graph.dataflow.yaml'), await readFile(join(dir, 'graph.dataflow.yaml'), 'utf8'));
      assert.equal(graph.valid, true);
      assert.equal(graph.graph!.metadata.name, 'factory');
      assert.deepEqual(JSON.parse(await readFile(join(dir, 'data', 'message1.json'), 'utf8')), { value: 42, unit: 'C' });
      assert.match(await readFile(join(dir, 'tests', 'conv.test.yaml'), 'utf8'), /expected: conv\.expected\.json/);
      assert.equal(await readFile(join(dir, '.gitignore'), 'utf8').then((t) => t.split('\n').includes('bin/') && t.split('\n').includes('output/')), true);
      const tasks = JSON.parse(await readFile(join(dir, '.vscode', 'tasks.json'), 'utf8')) as { tasks: Array<{ command: string }> };
      assert.deepEqual(
        tasks.tasks.map((t) => t.command),
        ['aio build', 'aio build --debug', 'aio emulate graph.dataflow.yaml --data data', 'aio emulate --env local', 'aio test tests'],
      );
      // The launch configurations attach to `aio emulate --inspect`'s default address, or start it under the debugger.
      const launch = JSON.parse(await readFile(join(dir, '.vscode', 'launch.json'), 'utf8')) as {
        configurations: Array<{ request: string; port?: number; runtimeArgs?: string[] }>;
      };
      assert.deepEqual(
        launch.configurations.map((c) => [c.request, c.port ?? c.runtimeArgs?.join(' ')]),
        [
          ['attach', 9229],
          ['launch', 'emulate graph.dataflow.yaml --data data --inspect'],
        ],
      );
      const settings = JSON.parse(await readFile(join(dir, '.vscode', 'settings.json'), 'utf8')) as Record<string, Record<string, string[]>>;
      assert.ok(settings['yaml.schemas']!['./.vscode/aio-graph.schema.json']!.includes('graph.dataflow.yaml'));
      assert.equal(
        (JSON.parse(await readFile(join(dir, '.vscode', 'aio-graph.schema.json'), 'utf8')) as { $schema: string }).$schema,
        'http://json-schema.org/draft-07/schema#',
      );
      assert.ok(existsSync(join(dir, '.aio', 'sdk', 'index.d.ts')), 'the SDK declarations the tsconfig maps the import to');
      const env = await runCli(['env', 'show', 'local', '--json'], { cwd: dir });
      assert.equal(env.code, 0, env.stdout + env.stderr);
    });
  });

  it('--add-to-graph keeps the graph valid for every type, and keeps the user’s comments', () => {
    for (const first of OPERATOR_KINDS) {
      let text = `# my notes\n${initialGraph('ws', 'first', first)}`;
      for (const kind of OPERATOR_KINDS) text = addOperatorToGraph(text, 'graph.dataflow.yaml', `x${kind}`, kind);
      const result = validateGraphText('graph.dataflow.yaml', text);
      assert.equal(result.valid, true, `${first}: ${JSON.stringify(result.diagnostics)}\n${text}`);
      assert.ok(text.startsWith('# my notes\n'));
      assert.equal(result.graph!.operations.filter((o) => o.type === 'sink').length, 1);
      assert.deepEqual(
        result.graph!.moduleConfigurations.map((c) => c.name).slice(1),
        OPERATOR_KINDS.map((k) => `module-x${k}/${k}`),
      );
    }
    assert.throws(
      () => addOperatorToGraph(initialGraph('ws', 'a', 'map'), 'g.yaml', 'a', 'map'),
      /AIO_OPERATOR_IN_GRAPH|already has an operation named module-a\/map/,
    );
  });
});

describe('Rust and Python operators', () => {
  it('a Rust workspace has the AIO SDK shape for every operator type', async () => {
    const parent = await makeTempDir();
    const ws = join(parent, 'rs');
    assert.equal((await runCli(['init', 'rs', '--lang', 'rust', '--operator', 'conv', '--type', 'map'], { cwd: parent })).code, 0);
    for (const kind of OPERATOR_KINDS.filter((k) => k !== 'map'))
      assert.equal((await runCli(['operator', 'new', `r${kind}`, '--type', kind], { cwd: ws })).code, 0);
    const config = await readFile(join(ws, '.cargo', 'config.toml'), 'utf8');
    assert.match(
      config,
      /aio-wg = \{ index = "sparse\+https:\/\/pkgs\.dev\.azure\.com\/azure-iot-sdks\/iot-operations\/_packaging\/preview\/Cargo\/index\/" \}/,
    );
    assert.match(config, /target = "wasm32-wasip2"/);
    for (const [name, kind] of [['conv', 'map'], ...OPERATOR_KINDS.filter((k) => k !== 'map').map((k) => [`r${k}`, k])] as const) {
      const dir = join(ws, 'operators', name);
      const cargo = await readFile(join(dir, 'Cargo.toml'), 'utf8');
      assert.match(cargo, new RegExp(`name = "${name}"`));
      assert.match(cargo, /crate-type = \["cdylib"\]/);
      assert.match(cargo, /wasm_graph_sdk = \{ version = "=1\.1\.3", registry = "aio-wg" \}/);
      assert.match(await readFile(join(dir, 'rust-toolchain.toml'), 'utf8'), /targets = \["wasm32-wasip2"\]/);
      const lib = await readFile(join(dir, 'src', 'lib.rs'), 'utf8');
      assert.match(lib, new RegExp(`#\\[${kind}_operator\\(init = "${name}_init"\\)\\]`));
      assert.match(lib, /logger::log\(Level::Info/);
      assert.match(lib, /metrics::(add_to_counter|record_to_histogram)\("/);
      assert.match(lib, /#\[cfg\(test\)\]/);
      assert.ok(!lib.includes('{{'), 'every placeholder filled');
      assert.equal(existsSync(join(dir, '.cargo')), false, 'one .cargo/config.toml at the root');
      assert.equal(readOperatorManifest(dir).language, 'rust');
    }
  });

  it('a Python workspace has the componentize-py shape, and its logic tests run with python3', async () => {
    const parent = await makeTempDir();
    const ws = join(parent, 'py');
    assert.equal((await runCli(['init', 'py', '--lang', 'python', '--operator', 'conv', '--type', 'map'], { cwd: parent })).code, 0);
    for (const kind of OPERATOR_KINDS.filter((k) => k !== 'map'))
      assert.equal((await runCli(['operator', 'new', `p${kind}`, '--type', kind], { cwd: ws })).code, 0);
    for (const [name, kind] of [['conv', 'map'], ...OPERATOR_KINDS.filter((k) => k !== 'map').map((k) => [`p${k}`, k])] as const) {
      const dir = join(ws, 'operators', name);
      const Kind = kind[0]!.toUpperCase() + kind.slice(1);
      const source = await readFile(join(dir, `${name}.py`), 'utf8');
      assert.match(source, new RegExp(`^from ${kind}_impl import exports$`, 'm'));
      assert.match(source, new RegExp(`^class ${Kind}\\(exports\\.${Kind}\\):$`, 'm'));
      assert.match(source, /def init\(self, configuration\) -> bool:/);
      assert.deepEqual(readOperatorManifest(dir).kinds, [kind]);
      assert.ok((await readdir(dir)).includes(`test_${name}_logic.py`));
    }
    const unit = await runCli(['operator', 'test', '--json'], { cwd: ws });
    assert.equal(unit.code, 0, unit.stdout);
    assert.deepEqual(
      (JSON.parse(unit.stdout) as { operators: Array<{ status: string }> }).operators.map((o) => o.status),
      ['passed', 'passed', 'passed', 'passed', 'passed'],
    );
  });
});
