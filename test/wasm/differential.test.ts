/**
 * The differential test: every conformance operator, every example operator and every template's module (TypeScript
 * and JavaScript on QuickJS, Python on componentize-py) runs under aio's jco host and under Wasmtime, the cluster's
 * runtime, with host imports written from the WIT alone (test/reference-host/wasmtime_host.py). Same inputs; the
 * outputs, error results, traps, init answers, logs and metrics must be the same. A host bug that tests written
 * against aio's own host cannot see (a field lowered in the wrong order, a buffer read twice, a label dropped)
 * shows up here.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe } from 'node:test';
import type { Hlc } from '../../src/engine/hlc.js';
import { findOnPath } from '../../src/build/run-tool.js';
import { COMPONENTIZE_PY_INSTALL } from '../../src/build/python-builder.js';
import { loadComponentFile } from '../../src/wasm/load-component.js';
import type { OperatorInterface } from '../../src/wasm/wit-names.js';
import type { BuildReport } from '../../src/build/build-workspace.js';
import { runCli } from '../helpers/cli.js';
import { fixtureComponent, useSharedCache } from '../helpers/components.js';
import { itWithTool } from '../helpers/needs-tool.js';
import { repoRoot } from '../helpers/paths.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { callsFor, message, rawBytes, runUnderAio, runUnderWasmtime, wasmtimeMissing, type Case, type CaseItem, type Run } from './reference-host.js';

const ts = (secs: number, counter = 0): Hlc => ({ secs, nanos: 250_000_000, counter, nodeId: 'node-ü' });
const props: Array<[string, string]> = [
  ['site', 'Zürich'],
  ['site', 'Basel'],
];

/** Inputs every module gets: JSON the templates and examples read, text, an error and a trap request, raw bytes. */
function genericItems(extraPayloads: string[] = []): CaseItem[] {
  return [
    message('{"value": 42, "unit": "C"}', ts(1_763_000_003, 7), { userProperties: props }),
    message('{"value": 120, "temperature": 91.5, "status": "ok"}', ts(1_763_000_004)),
    message('{"value": "not a number"}', ts(1_763_000_012), { contentType: 'text/plain' }),
    message('#comment', ts(1_763_000_013)),
    message('Temperature high', ts(1_763_000_014)),
    message('error: sensor offline', ts(1_763_000_015)),
    message('trap please', ts(1_763_000_016)),
    message('after the trap', ts(1_763_000_017)),
    ...extraPayloads.map((p, i) => message(p, ts(1_763_000_020 + i, i))),
    rawBytes('raw bytes', ts(1_763_000_030)),
  ];
}

/** One run per interface the module exports, with its default configuration, plus one with a parameter set. */
async function caseFor(component: string, items: CaseItem[]): Promise<Case> {
  const loaded = await loadComponentFile(component);
  const runs: Run[] = [];
  for (const iface of loaded.world.operators as OperatorInterface[]) {
    runs.push({ interface: iface, calls: callsFor(iface, items) });
    runs.push({ interface: iface, properties: [['reject', 'yes']], calls: callsFor(iface, items.slice(0, 2)) });
  }
  return { component, runs };
}

async function assertSame(label: string, testCase: Case, dir: string): Promise<void> {
  const [aio, wasmtime] = await Promise.all([runUnderAio(testCase), runUnderWasmtime(testCase, dir)]);
  assert.equal(aio.length, testCase.runs.length);
  for (const [i, run] of testCase.runs.entries()) {
    assert.deepEqual(aio[i], wasmtime[i], `${label}, ${run.interface} run ${i}${run.properties ? ` with ${JSON.stringify(run.properties)}` : ''}`);
  }
  // The comparison is only worth something if the modules did something: calls answered, logs written.
  assert.ok(
    aio.some((r) => r.calls.some((c) => 'ok' in c)),
    `${label}: no call returned a value`,
  );
}

const wasmtime = wasmtimeMissing();

describe('aio’s jco host and Wasmtime agree', () => {
  let dir: string;
  before(async () => {
    useSharedCache();
    dir = await makeTempDir();
  });

  const needs = (name: string, fn: () => Promise<void>, other?: string | false): void =>
    itWithTool(`${name}: same outputs, logs and metrics`, wasmtime ?? other, fn);

  for (const fixture of ['conformance-wat', 'conformance-js', 'conformance-sdk-quickjs', 'conformance-sdk-spidermonkey']) {
    needs(`conformance operator ${fixture}`, async () => {
      const component = fixtureComponent(fixture);
      const testCase = await caseFor(component, genericItems(['x', '{"TEMP": 71.5}']));
      await assertSame(fixture, testCase, dir);
    });
  }

  needs('the example operators', async () => {
    for (const example of ['thermostat', 'enrichment']) {
      const root = join(repoRoot, 'examples', example);
      const data = await Promise.all(
        (await readdir(join(root, 'data'))).filter((f) => f.endsWith('.json')).map((f) => readFile(join(root, 'data', f), 'utf8')),
      );
      for (const operator of await readdir(join(root, 'operators'))) {
        const component = join(root, 'operators', operator, 'bin', 'release', `${operator}.wasm`);
        await assertSame(`${example}/${operator}`, await caseFor(component, genericItems(data.map((d) => d.trim()))), dir);
      }
    }
  });

  for (const lang of ['ts', 'js', 'python'] as const) {
    needs(
      `every ${lang} template's module`,
      async () => {
        const parent = await makeTempDir();
        const ws = join(parent, `tpl${lang}`);
        assert.equal((await runCli(['init', `tpl${lang}`, '--lang', lang, '--operator', 'tmap', '--type', 'map'], { cwd: parent })).code, 0);
        for (const kind of ['filter', 'branch', 'accumulate', 'delay']) {
          assert.equal((await runCli(['operator', 'new', `t${kind}`, '--type', kind], { cwd: ws })).code, 0);
        }
        const build = await runCli(['build', '--json'], { cwd: ws });
        assert.equal(build.code, 0, build.stdout + build.stderr);
        const report = JSON.parse(build.stdout) as BuildReport;
        assert.equal(report.operators.length, 5);
        for (const op of report.operators) await assertSame(`${lang} template ${op.name}`, await caseFor(join(ws, op.file), genericItems()), dir);
      },
      lang === 'python' && findOnPath('componentize-py') === undefined && `componentize-py is not installed (${COMPONENTIZE_PY_INSTALL})`,
    );
  }
});
