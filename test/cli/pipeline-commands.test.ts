import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { fixture, samplesDir } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { positionOf } from '../pipeline/manifest-text.js';

const sampleCr = join(samplesDir, 'k8s', 'dataflow-graph.yaml');
const kubectlGet = fixture('pipelines', 'kubectl-get.yaml');

describe('aio graph validate on DataflowGraph manifests', () => {
  it('validates the AIO sample CR (WASM artifact on registry-endpoint-acr) and the ARM forms without a finding', async () => {
    const r = await runCli([
      'graph',
      'validate',
      sampleCr,
      kubectlGet,
      fixture('pipelines', 'arm-template.json'),
      fixture('pipelines', 'az-apply.json'),
      '--strict',
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trim(), 'OK: 4 graph files checked, 0 invalid; 0 error(s), 0 warning(s), 0 note(s)');
  });

  it('prints findings inside configuration values at their line:column, with codes and hints, and exits 3', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'broken.yaml');
      const text = (await readFile(kubectlGet, 'utf8'))
        .replace('"expression": "$1 > 1000"', '"expression": "lenn($1) > 1000"')
        .replace('name: severity-check.output.true', 'name: severity-check');
      await writeFile(file, text);
      const r = await runCli(['graph', 'validate', file]);
      assert.equal(r.code, 3);
      const fn = positionOf(text, 'lenn(');
      const arm = positionOf(text, 'severity-check\n    to');
      assert.match(
        r.stdout,
        new RegExp(
          `broken\\.yaml:${fn.line}:${fn.column}: error AIO_BUILTIN_EXPR_UNKNOWN_FUNCTION: node remove-bad-data: .+lenn.+\\(hint: did you mean "len"\\?\\)`,
        ),
      );
      assert.match(
        r.stdout,
        new RegExp(
          `broken\\.yaml:${arm.line}:${arm.column}: error AIO_PIPELINE_BRANCH_PORT_MISSING: .+ \\(hint: write "severity-check\\.output\\.true" or "severity-check\\.output\\.false"\\)`,
        ),
      );
      assert.match(r.stdout, /FAILED: 1 graph file checked, 1 invalid; 2 error\(s\)/);
      assert.ok(!looksLikeStackTrace(r.stdout + r.stderr));

      const json = await runCli(['graph', 'validate', file, '--json']);
      assert.equal(json.code, 3);
      const report = JSON.parse(json.stdout) as { valid: boolean; diagnostics: Array<{ code: string; line: number; column: number }> };
      assert.equal(report.valid, false);
      assert.deepEqual(
        report.diagnostics.map((d) => [d.code, d.line, d.column]),
        [
          ['AIO_BUILTIN_EXPR_UNKNOWN_FUNCTION', fn.line, fn.column],
          ['AIO_PIPELINE_BRANCH_PORT_MISSING', arm.line, arm.column],
        ],
      );
    });
  });

  it('takes kind: DataflowGraph files in a folder walk and still passes over other Kubernetes manifests', async () => {
    await withTempDir(async (dir) => {
      await copyFile(sampleCr, join(dir, 'pipeline.yaml'));
      await copyFile(join(samplesDir, 'aio-explore', 'graph-complex.yaml'), join(dir, 'graph-complex.yaml'));
      await writeFile(join(dir, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n');
      await writeFile(join(dir, 'loop.yaml'), (await readFile(sampleCr, 'utf8')).replace('dataDestination: processed', 'dataDestination: raw'));
      const r = await runCli(['graph', 'validate', dir]);
      assert.equal(r.code, 3);
      const loop = positionOf(await readFile(join(dir, 'loop.yaml'), 'utf8'), 'dataDestination: raw');
      assert.match(r.stdout, new RegExp(`loop\\.yaml:${loop.line}:${loop.column + 17}: error AIO_PIPELINE_TOPIC_LOOP: `));
      assert.match(r.stdout, /FAILED: 3 graph files checked, 1 invalid; 1 error\(s\)/);
      assert.doesNotMatch(r.stdout, /deployment\.yaml/);
    });
  });
});

describe('aio graph show on DataflowGraph manifests', () => {
  it('lists nodes in flow order with kind, artifact and topics, and branch outputs', async () => {
    const r = await runCli(['graph', 'show', kubectlGet]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^filter-branch-merge {2}\(.+kubectl-get\.yaml; DataflowGraph, 7 nodes, 7 connections\)$/);
    assert.deepEqual(
      lines.filter((l) => /^\d/.test(l)).map((l) => l.split(/\s{2,}/).slice(1)),
      [
        ['sensors', 'Source', 'default: telemetry/sensors'],
        ['remove-bad-data', 'built-in filter', 'azureiotoperations/graph-dataflow-filter:1.0.0'],
        ['severity-check', 'built-in branch', 'azureiotoperations/graph-dataflow-branch:1.0.0'],
        ['alert-transform', 'built-in map', 'azureiotoperations/graph-dataflow-map:1.0.0'],
        ['normal-transform', 'built-in map', 'azureiotoperations/graph-dataflow-map:1.0.0'],
        ['merge', 'built-in concatenate', 'azureiotoperations/graph-dataflow-concatenate:1.0.0'],
        ['output', 'Destination', 'default: telemetry/processed'],
      ],
    );
    assert.ok(lines.includes('     output.false → normal-transform'));
    assert.ok(lines.includes('     output.true  → alert-transform'));
  });

  it('draws Mermaid and DOT with the branch as a decision and its arms as edge labels, and --json', async () => {
    const mermaid = await runCli(['graph', 'show', kubectlGet, '--format', 'mermaid']);
    assert.equal(mermaid.code, 0, mermaid.stderr);
    assert.match(mermaid.stdout, /^flowchart LR\n/);
    assert.match(
      mermaid.stdout,
      /\n {2}n2_severity_check\{"severity-check<br\/><i>built-in branch: azureiotoperations\/graph-dataflow-branch:1\.0\.0<\/i>"\}\n/,
    );
    assert.match(mermaid.stdout, /\n {2}n2_severity_check -->\|"output\.true"\| n3_alert_transform\n/);
    assert.match(mermaid.stdout, /\n {2}n6_output\(\["output<br\/><i>Destination: default: telemetry\/processed<\/i>"\]\)\n/);
    const dot = await runCli(['graph', 'show', kubectlGet, '-f', 'dot', '--json']);
    assert.equal(dot.code, 0, dot.stderr);
    const shown = JSON.parse(dot.stdout) as { kind: string; name: string; nodes: Array<Record<string, unknown>>; connections: unknown[]; diagram: string };
    assert.equal(shown.kind, 'DataflowGraph');
    assert.equal(shown.name, 'filter-branch-merge');
    assert.deepEqual(shown.nodes[0], { name: 'sensors', nodeType: 'Source', kind: 'Source', endpoint: 'default', topics: ['telemetry/sensors'] });
    assert.deepEqual(shown.connections[2], { from: 'severity-check', port: 'output.true', to: 'alert-transform' });
    assert.match(
      shown.diagram,
      /"severity-check" \[shape=diamond, label="severity-check\\nbuilt-in branch: azureiotoperations\/graph-dataflow-branch:1\.0\.0"\];/,
    );
    assert.match(shown.diagram, /"severity-check" -> "normal-transform" \[label="output\.false"\];/);
  });

  it('refuses an invalid manifest with its findings and exit 3', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'cycle.yaml');
      await writeFile(
        file,
        (await readFile(kubectlGet, 'utf8')).replace(
          '  - from:\n      name: merge\n    to:\n      name: output',
          '  - from:\n      name: merge\n    to:\n      name: sensors',
        ),
      );
      const r = await runCli(['graph', 'show', file]);
      assert.equal(r.code, 3);
      assert.match(r.stderr, /error AIO_GRAPH_INVALID: .+cycle\.yaml is not a valid DataflowGraph manifest/);
      assert.match(r.stderr, /error AIO_PIPELINE_EDGE_KIND: nodeConnections\[6\] enters source sensors/);
      assert.ok(!looksLikeStackTrace(r.stdout + r.stderr));
    });
  });
});
