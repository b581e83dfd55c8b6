import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import { createMessage, payloadOf, type Message } from '../../src/engine/message.js';
import { AioError } from '../../src/errors.js';
import { loadComponent, loadComponentFile } from '../../src/wasm/load-component.js';
import { OperatorModule } from '../../src/wasm/operator-module.js';
import { OperatorFailure } from '../../src/engine/operator-failure.js';
import { fixtureComponent, testServices, useTempCache } from '../helpers/components.js';

const ts = { secs: 1_763_000_000, nanos: 0, counter: 0, nodeId: 'n' };
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

async function mapOperator(fixture: string, services = testServices()): Promise<OperatorModule> {
  const component = await loadComponentFile(fixtureComponent(fixture));
  return OperatorModule.create({ component, operation: `${fixture}/map`, interface: 'map', configuration: { properties: [] }, services });
}

describe('component host', () => {
  let cacheDir: string;
  before(() => {
    cacheDir = useTempCache();
  });

  it('gives modules no preopened directories, no environment, no arguments and no sockets', async () => {
    const probe = await mapOperator('sandbox-probe');
    const out = probe.map(createMessage({ timestamp: ts, payload: 'go' }));
    // tcp=err:01 is wasi:sockets error-code 1, access-denied; the call failed inside the module and the host goes on.
    assert.equal(text(payloadOf(out)), 'dirs=0 env=0 args=0 tcp=err:01');
    assert.equal(text(payloadOf(probe.map(createMessage({ timestamp: ts, payload: 'again' })))), 'dirs=0 env=0 args=0 tcp=err:01');
  });

  it('runs a module importing WASI stdio, clocks and random; its stdout goes to the run log, not the terminal', async () => {
    const services = testServices();
    const stdio = await mapOperator('stdio-js', services);
    const out = stdio.map(createMessage({ timestamp: ts, payload: 'x' }));
    assert.equal(text(payloadOf(out)), 'clock=ok random=ok');
    const line = services.log.entries.find((entry) => entry.message === 'stdio probe says hello');
    assert.ok(line, 'stdout line reached the log');
    assert.equal(line.operation, 'stdio-js/map');
    assert.equal(line.context, 'stdout');
  });

  it('refuses at load a module importing an interface no AIO host provides, naming the import', async () => {
    await assert.rejects(loadComponentFile(fixtureComponent('needs-keyvalue')), (error: unknown) => {
      assert.ok(error instanceof AioError);
      assert.equal(error.code, 'AIO_MODULE_UNSUPPORTED');
      assert.match(error.message, /wasi:keyvalue\/store@0\.2\.0-draft/);
      assert.match(error.hint ?? '', /Rebuild the module without wasi:keyvalue\/store/);
      return true;
    });
  });

  it('loads a module importing wasi:nn, and gives its load-by-name the WIT error for a model it cannot find', async () => {
    const component = await loadComponentFile(fixtureComponent('needs-inference'));
    const operator = OperatorModule.create({
      component,
      operation: 'snapshot/map',
      interface: 'map',
      configuration: { properties: [] },
      services: testServices(),
    });
    const item = createMessage({ timestamp: { secs: 1, nanos: 0, counter: 0, nodeId: 'n' }, payload: 'frame' });
    // The fixture ignores the error result it gets and then traps on purpose: the call got through to the host and back.
    assert.throws(
      () => operator.map(item),
      (error: unknown) => error instanceof OperatorFailure && error.kind === 'trap' && /unreachable/.test(error.message),
    );
  });

  it('says which interfaces a module does export when the operation needs another', async () => {
    const component = await loadComponentFile(fixtureComponent('filter-only'));
    assert.throws(
      () => OperatorModule.create({ component, operation: 'thermostat/map', interface: 'map', configuration: { properties: [] }, services: testServices() }),
      (error: unknown) =>
        error instanceof AioError &&
        error.code === 'AIO_MODULE_MISSING_INTERFACE' &&
        /thermostat\/map needs the map interface/.test(error.message) &&
        /exports filter/.test(error.message),
    );
  });

  it('explains a core module and a file that is not WebAssembly', async () => {
    const core = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    await assert.rejects(
      loadComponent(core, 'core.wasm'),
      (e: unknown) => e instanceof AioError && e.code === 'AIO_MODULE_CORE_WASM' && /wasm32-wasip2/.test(e.hint ?? ''),
    );
    await assert.rejects(
      loadComponent(new TextEncoder().encode('not wasm at all'), 'x.wasm'),
      (e: unknown) => e instanceof AioError && e.code === 'AIO_MODULE_NOT_WASM',
    );
    const truncated = (await readFile(fixtureComponent('conformance-wat'))).subarray(0, 3000);
    await assert.rejects(loadComponent(truncated, 'truncated.wasm'), (e: unknown) => e instanceof AioError && e.code === 'AIO_MODULE_INVALID');
  });

  it('caches transpiled output by sha256; concurrent loads of the same bytes agree and leave no temp folders', async () => {
    const bytes = await readFile(fixtureComponent('conformance-wat'));
    const [a, b] = await Promise.all([loadComponent(bytes, 'a.wasm'), loadComponent(bytes, 'b.wasm')]);
    assert.deepEqual(a.world, { ...b.world });
    const again = await loadComponent(bytes, 'c.wasm');
    assert.equal(again.cacheHit, true);
    const entries = readdirSync(join(cacheDir, 'components', readdirSync(join(cacheDir, 'components'))[0]!));
    assert.ok(entries.includes(a.world.sha256));
    assert.deepEqual(
      entries.filter((name) => name.startsWith('.tmp')),
      [],
    );
  });

  it('serves locally configured schemas, not-found otherwise; answers MQTT RPC with an rpc-error', async () => {
    const services = testServices();
    services.schemas.add({ name: 'temperature', version: '1', format: 'json', content: '{"type":"object"}' });
    const module = await mapOperator('host-services-js', services);
    const ask = (question: string): string => text(payloadOf(module.map(createMessage({ timestamp: ts, payload: question }))));
    assert.equal(ask('schema temperature 1'), 'json {"type":"object"}');
    assert.equal(ask('schema humidity 1'), 'error not-found');
    assert.match(ask('rpc'), /^error not-available aio emulate has no MQTT RPC executors/);
  });

  it('shares one state store between operations, through the WIT state-store interface', async () => {
    const services = testServices();
    services.stateStore.seed([['count', '40']]);
    const component = await loadComponentFile(fixtureComponent('conformance-js'));
    const first = OperatorModule.create({ component, operation: 'a/map', interface: 'map', configuration: { properties: [] }, services });
    const second = OperatorModule.create({ component, operation: 'b/map', interface: 'map', configuration: { properties: [] }, services });
    assert.equal(text((first.map(createMessage({ timestamp: ts, payload: 'count' })) as Message).payload), '41');
    assert.equal(text((second.map(createMessage({ timestamp: ts, payload: 'count' })) as Message).payload), '42');
    assert.equal(services.stateStore.snapshot()['count'], '42');
  });
});
