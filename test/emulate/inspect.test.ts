/**
 * `aio emulate --inspect --break-on`: a Chrome DevTools Protocol client (what VS Code's debugger speaks) attaches to
 * the inspector, follows the graph's worker thread, sees the operators' WebAssembly parsed, and is paused before
 * the --break-on operation's call; resumed, the message goes on to the sink. Also: a module's DWARF sections
 * survive componentizing, jco's transpile and aio's memory cap, so a Rust debug build can be stepped in its source.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { loadComponent } from '../../src/wasm/load-component.js';
import { WIT_DIR } from '../../src/package-files.js';
import { runCli } from '../helpers/cli.js';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { copyExample } from '../helpers/examples.js';
import { repoRoot } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { Cdp, until } from '../helpers/cdp.js';

const FILTER = 'module-thermostat/filter';

describe('aio emulate --inspect', () => {
  before(() => useSharedCache());

  it('lets a CDP client see the WebAssembly parsed and pause before the --break-on operation', async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      const emulator = await startEmulator([join(ws, 'graph.dataflow.yaml'), '--port', '0', '--inspect', '127.0.0.1:0', '--break-on', FILTER]);
      const url = /^inspect: (ws:\/\/\S+)/m.exec(emulator.stderr())?.[1];
      assert.ok(url, emulator.stderr());
      const cdp = await Cdp.connect(url);
      const sub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
      try {
        await cdp.attachToWorker(/graph-worker-thread\.js$/);
        await cdp.sendToWorker('Debugger.enable');
        // The operators' modules, already compiled, are reported as WebAssembly scripts.
        const wasm = await until(
          () => cdp.workerEvents.find((e) => e.method === 'Debugger.scriptParsed' && e.params!['scriptLanguage'] === 'WebAssembly'),
          'a WebAssembly script',
        );
        assert.match(wasm.params!['url'] as string, /^wasm:\/\//);

        await sub.subscribeAsync('processed', { qos: 1 });
        const arrived = new Promise<string>((resolve) => sub.once('message', (_t, payload) => resolve(payload.toString())));
        await sub.publishAsync('sensors/a', JSON.stringify({ status: 'ok' }), { qos: 0 });
        const paused = await until(() => cdp.workerEvents.find((e) => e.method === 'Debugger.paused'), 'the pause');
        const frame = (paused.params!['callFrames'] as Array<{ functionName: string; callFrameId: string }>)[0]!;
        assert.equal(frame.functionName, 'pauseBefore');
        const operation = await cdp.sendToWorker('Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression: 'operation + " " + method' });
        assert.equal(operation.result!['result']['value'], `${FILTER} filter`);

        await cdp.sendToWorker('Debugger.resume');
        // A second --break-on pause waits for the next message only; this one reaches the sink.
        assert.deepEqual(JSON.parse(await arrived), { status: 'ok' });
      } finally {
        cdp.close();
        await sub.endAsync();
        const stopped = await emulator.interrupt();
        assert.equal(stopped.code, 0, stopped.stderr);
      }
    });
  });

  it('refuses --break-on for an operation without a module, naming the ones it could be', async () => {
    const result = await runCli([
      'emulate',
      join(repoRoot, 'examples', 'thermostat', 'graph.dataflow.yaml'),
      '--data',
      'examples/thermostat/data',
      '--break-on',
      'module-thermostat/filtr',
      '--json',
    ]);
    assert.equal(result.code, 2, result.stderr);
    const error = JSON.parse(result.stdout).error as { code: string; hint: string };
    assert.equal(error.code, 'AIO_EMULATE_BREAK_ON_UNKNOWN');
    assert.match(error.hint, /Did you mean module-thermostat\/filter\?/);
  });

  it('keeps a module’s DWARF sections through componentizing, the transpile and the memory cap', async () => {
    const { parse, componentEmbed, componentNew } = await import('@bytecodealliance/jco-transpile/wasm-tools');
    const core = await parse(await readFile(join(repoRoot, 'test', 'fixtures', 'components', 'wat', 'filter-only.wat'), 'utf8'));
    const name = Buffer.from('.debug_info');
    const payload = Buffer.from('dwarf compile unit');
    const section = Buffer.concat([Buffer.from([name.length]), name, payload]);
    const withDwarf = Buffer.concat([Buffer.from(core), Buffer.from([0, section.length]), section]);
    const component = await componentNew(await componentEmbed({ binary: withDwarf, witPath: WIT_DIR, world: 'filter-impl' }));
    const loaded = await loadComponent(component, 'debug-build.wasm', 64);
    // customSections is standard WebAssembly JS API; @types/node's WebAssembly lacks it.
    const customSections = (WebAssembly.Module as unknown as { customSections(m: WebAssembly.Module, name: string): ArrayBuffer[] }).customSections;
    const sections = [...loaded.shareable.modules.values()].flatMap((m) => customSections(m, '.debug_info'));
    assert.deepEqual(
      sections.map((s) => Buffer.from(s).toString()),
      ['dwarf compile unit'],
    );
  });
});
