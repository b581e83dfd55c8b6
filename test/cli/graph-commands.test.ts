import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { fixture, samplesDir } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';

const complex = join(samplesDir, 'aio-explore', 'graph-complex.yaml');
const invalid = (name: string): string => fixture('graphs', 'invalid', name);

describe('aio graph validate', () => {
  it('prints compiler-style findings and exits 3 when a graph is invalid', async () => {
    const r = await runCli(['graph', 'validate', invalid('cycle.yaml')]);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /cycle\.yaml:39:13: error AIO_GRAPH_CYCLE: connections\[3\] closes a loop: merge → a → b → merge \(hint: .+\)/);
    assert.match(r.stdout, /FAILED: 1 graph file checked, 1 invalid/);
    assert.ok(!looksLikeStackTrace(r.stdout + r.stderr));
  });

  it('reports every finding across several files, not only the first', async () => {
    const r = await runCli(['graph', 'validate', invalid('cycle.yaml'), invalid('dead-end.yaml'), complex]);
    assert.equal(r.code, 3);
    assert.equal(r.stdout.split('\n').filter((l) => / error AIO_/.test(l)).length, 4);
    assert.match(r.stdout, /3 graph files checked, 2 invalid/);
  });

  it('gives an object with the diagnostics with --json', async () => {
    const r = await runCli(['graph', 'validate', invalid('branch-unquoted-arm.yaml'), '--json']);
    assert.equal(r.code, 3);
    const report = JSON.parse(r.stdout) as { valid: boolean; files: Array<{ file: string; valid: boolean }>; diagnostics: Array<Record<string, unknown>> };
    assert.equal(report.valid, false);
    assert.deepEqual(report.files, [{ file: invalid('branch-unquoted-arm.yaml'), valid: false }]);
    const diagnostics = report.diagnostics;
    assert.deepEqual(diagnostics, [
      {
        file: invalid('branch-unquoted-arm.yaml'),
        line: 27,
        column: 12,
        severity: 'error',
        code: 'AIO_GRAPH_ARM_UNQUOTED',
        message: 'connections[1].from.arm is the YAML boolean false, not the string "False"; the cluster rejects it with "Unsupported value: false"',
        hint: 'quote it: arm: "False"',
      },
    ]);
  });

  it('passes warnings by default and fails them with --strict', async () => {
    const file = invalid('concatenate-one-input.yaml');
    assert.equal((await runCli(['graph', 'validate', file])).code, 0);
    assert.equal((await runCli(['graph', 'validate', file, '--strict'])).code, 3);
  });

  it('hides informational notes with --quiet', async () => {
    const file = join(samplesDir, 'edge-ai', 'graph-datetime.yaml');
    const loud = await runCli(['graph', 'validate', file]);
    const quiet = await runCli(['graph', 'validate', file, '--quiet']);
    assert.match(loud.stdout, /info AIO_GRAPH_PARAMETER_REQUIRED/);
    assert.doesNotMatch(quiet.stdout, /AIO_GRAPH_PARAMETER_REQUIRED/);
    assert.equal(quiet.code, 0);
  });

  it('reports malformed files without a stack trace', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'graph.yaml'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
      const r = await runCli(['graph', 'validate', join(dir, 'graph.yaml'), join(dir, 'missing.yaml')]);
      assert.equal(r.code, 3);
      assert.match(r.stdout, /graph\.yaml:1:3: error AIO_FILE_BINARY/);
      assert.match(r.stdout, /missing\.yaml:1:1: error AIO_FILE_NOT_FOUND/);
      assert.ok(!looksLikeStackTrace(r.stdout + r.stderr));
    });
  });

  it('says so, with exit 3, when a folder holds no graphs', async () => {
    await withTempDir(async (dir) => {
      const r = await runCli(['graph', 'validate', dir]);
      assert.equal(r.code, 3);
      assert.match(r.stderr, /error AIO_NO_GRAPHS_FOUND: no graph definitions found/);
      assert.match(r.stderr, /hint: /);
      const json = await runCli(['graph', 'validate', dir, '--json']);
      assert.equal(json.code, 3);
      assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'AIO_NO_GRAPHS_FOUND');
    });
  });

  it('exits 2 on a usage error', async () => {
    const r = await runCli(['graph', 'validate']);
    assert.equal(r.code, 2);
    const flag = await runCli(['graph', 'validate', complex, '--no-such-flag']);
    assert.equal(flag.code, 2);
  });
});

describe('aio graph show', () => {
  it('draws the graph in topological order with types, modules and arms', async () => {
    const r = await runCli(['graph', 'show', complex]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const order = lines.filter((l) => /^\s*\d+\s/.test(l)).map((l) => l.trim().split(/\s+/)[1]);
    assert.equal(order[0], 'source');
    assert.equal(order.at(-1), 'sink');
    assert.ok(order.indexOf('concatenate1') > order.indexOf('module-humidity/accumulate'));
    assert.match(
      r.stdout,
      /module-snapshot\/branch\s+branch\s+azure-samples\/explore-iot-operations\/snapshot:1\.0\.0\n\s+False → module-temperature\/branch\n\s+True\s+→ module-format\/map/,
    );
  });

  it('prints Mermaid and DOT', async () => {
    const mermaid = await runCli(['graph', 'show', complex, '--format', 'mermaid']);
    assert.match(mermaid.stdout, /^flowchart LR\n/);
    assert.match(mermaid.stdout, /-->\|True\| n2_module_format_map/);
    const dot = await runCli(['graph', 'show', complex, '-f', 'dot']);
    assert.match(dot.stdout, /^digraph "Complex graph" \{/);
    assert.match(dot.stdout, /"module-snapshot\/branch" \[shape=diamond/);
  });

  it('gives the model as JSON', async () => {
    const r = await runCli(['graph', 'show', complex, '--json']);
    const shown = JSON.parse(r.stdout) as { operations: Array<{ name: string }>; connections: Array<{ arm?: string }> };
    assert.equal(shown.operations.length, 15);
    assert.equal(shown.connections.filter((c) => c.arm !== undefined).length, 4);
  });

  it('refuses an invalid graph with exit 3 and prints its findings, as validate does', async () => {
    const r = await runCli(['graph', 'show', invalid('cycle.yaml')]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /cycle\.yaml:39:13: error AIO_GRAPH_INVALID: .+ is not a valid graph \(1 error\)/);
    assert.match(r.stderr, /\n {2}.*cycle\.yaml:39:13: error AIO_GRAPH_CYCLE: connections\[3\] closes a loop: merge → a → b → merge/);
    assert.match(r.stderr, /hint: fix the errors listed; `aio graph validate/);
    assert.ok(!looksLikeStackTrace(r.stderr));
  });

  it('reports a missing file as such', async () => {
    const r = await runCli(['graph', 'show', 'nowhere.yaml']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /error AIO_FILE_NOT_FOUND: cannot read nowhere\.yaml: no such file or directory/);
  });
});

describe('aio --help', () => {
  it('lists the exit codes', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /EXIT CODES\n\s+0\s+success\n\s+1\s+internal error/);
    assert.match(r.stdout, /3\s+invalid input/);
  });

  it('shows examples for each graph command', async () => {
    for (const command of ['validate', 'show', 'schema']) {
      const r = await runCli(['graph', command, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /EXAMPLES/);
      assert.match(r.stdout, /--json/);
    }
  });
});

describe('aio graph schema', () => {
  it('prints a draft-07 schema that names every operation type', async () => {
    const r = await runCli(['graph', 'schema']);
    const schema = JSON.parse(r.stdout) as { $schema: string; properties: { operations: { items: { properties: { operationType: { enum: string[] } } } } } };
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(schema.properties.operations.items.properties.operationType.enum, [
      'source',
      'map',
      'filter',
      'branch',
      'concatenate',
      'accumulate',
      'delay',
      'sink',
    ]);
  });
});
