import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discoverGraphFiles } from '../../src/graph/discover.js';
import { validateGraphFile } from '../../src/graph/validate.js';
import { runCli } from '../helpers/cli.js';
import { samplesDir } from '../helpers/paths.js';

/** Every YAML under the sample folders that holds a graph definition (k8s/ holds a manifest, not a graph). */
async function sampleGraphFiles(): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (/\.ya?ml$/.test(entry.name) && !path.includes(`${join('samples', 'k8s')}`)) files.push(path);
    }
  };
  await walk(join(samplesDir, 'aio-explore'));
  await walk(join(samplesDir, 'edge-ai'));
  return files.sort();
}

describe('the AIO sample graphs', async () => {
  const files = await sampleGraphFiles();

  it('includes the expected number of sample graphs', () => {
    assert.ok(files.length >= 14, `expected at least 14 sample graphs, found ${files.length}`);
  });

  for (const file of files) {
    it(`validates ${file.slice(samplesDir.length + 1)} without errors or warnings`, async () => {
      const result = await validateGraphFile(file);
      const problems = result.diagnostics.filter((d) => d.severity !== 'info');
      assert.deepEqual(problems, []);
      assert.equal(result.valid, true);
      assert.ok(result.graph !== undefined && result.graph.operations.length >= 3);
    });
  }

  it('finds every sample graph when given the samples folder, and the DataflowGraph manifest apart from them', async () => {
    const discovery = await discoverGraphFiles([samplesDir]);
    assert.deepEqual([...discovery.files].sort(), files);
    assert.deepEqual(discovery.manifests, [join(samplesDir, 'k8s', 'dataflow-graph.yaml')]);
  });

  it('exits 0 from `aio graph validate <samples>` with --strict', async () => {
    const result = await runCli(['graph', 'validate', samplesDir, '--strict']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    // The graphs and the k8s DataflowGraph manifest.
    assert.match(result.stdout, new RegExp(`OK: ${files.length + 1} graph files checked, 0 invalid`));
  });

  it('keeps positions for every operation, connection and parameter', async () => {
    const { graph } = await validateGraphFile(join(samplesDir, 'aio-explore', 'graph.dataflow.yaml'));
    assert.ok(graph);
    const delay = graph.operations.find((o) => o.name === 'module-window/delay');
    assert.deepEqual(delay && { pos: delay.pos, namePos: delay.namePos, type: delay.type }, {
      pos: { line: 39, column: 5 },
      namePos: { line: 40, column: 11 },
      type: 'delay',
    });
    const arm = graph.connections.find((c) => c.from.name === 'module-snapshot/branch' && c.from.arm === 'True');
    assert.deepEqual(arm?.from.armPos, { line: 101, column: 12 });
    const lower = graph.moduleConfigurations.find((c) => c.name === 'module-temperature/filter')?.parameters[0];
    assert.deepEqual(lower && { id: lower.id, default: lower.default, pos: lower.pos }, {
      id: 'temperature_lower_bound',
      default: '-273.15',
      pos: { line: 27, column: 7 },
    });
    assert.deepEqual(graph.features, [{ name: 'wasi-nn', value: undefined }]);
  });
});
