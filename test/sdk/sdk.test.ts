import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Config,
  ConfigError,
  defineAccumulate,
  defineBranch,
  defineDelay,
  defineFilter,
  defineMap,
  log,
  Message,
  metrics,
  stateStore,
} from '../../src/sdk/index.js';
import { testOperator } from '../../src/sdk/testing.js';
import { decodeUtf8, decodeUtf8Natively, encodeUtf8, encodeUtf8Natively } from '../../src/sdk/utf8.js';
import { bindExports } from '../../src/sdk/bind.js';
import type { Abi } from '../../src/sdk/wit-codec.js';

describe('the operator SDK: UTF-8 without the platform codec (QuickJS has none)', () => {
  it('round-trips ASCII, accents, CJK and astral characters byte for byte with TextEncoder', () => {
    for (const text of ['', 'plain', 'Zürich', '温度', '🌡️ 21 °C', 'a\u0000b']) {
      assert.deepEqual(encodeUtf8(text), new TextEncoder().encode(text), text);
      assert.equal(decodeUtf8(new TextEncoder().encode(text)), text);
    }
  });

  it('decodes invalid and truncated sequences to U+FFFD as TextDecoder does', () => {
    for (const bytes of [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0x61, 0x80, 0x62], [0xf4, 0x90, 0x80, 0x80]]) {
      assert.equal(decodeUtf8(new Uint8Array(bytes)), new TextDecoder().decode(new Uint8Array(bytes)), JSON.stringify(bytes));
    }
  });
});

describe('the operator SDK: UTF-8 against the platform on random input', () => {
  it('agrees with TextDecoder and TextEncoder on 3,000 random byte strings and strings', () => {
    let seed = 42;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let round = 0; round < 3000; round++) {
      // Bias towards the interesting ranges: ASCII, continuation bytes, lead bytes.
      const bytes = new Uint8Array(random(24)).map(() => [random(0x80), 0x80 + random(0x40), 0xc0 + random(0x40)][random(3)]!);
      assert.equal(decodeUtf8(bytes), new TextDecoder().decode(bytes), JSON.stringify([...bytes]));
      const text = String.fromCharCode(
        ...Array.from({ length: random(12) }, () => [random(0x80), random(0x800), 0xd800 + random(0x800), random(0x10000)][random(4)]!),
      );
      assert.deepEqual(encodeUtf8(text), new TextEncoder().encode(text), JSON.stringify(text));
    }
  });
});

/**
 * The conversions QuickJS builds use: through the engine's base64 natives (quickjs-ng has the TC39
 * Uint8Array.fromBase64/toBase64; Node has them from v25, so older Nodes get them from Buffer for this test).
 */
describe('the operator SDK: UTF-8 through the base64 natives', () => {
  const proto = Uint8Array.prototype as { toBase64?: (this: Uint8Array) => string };
  const ctor = Uint8Array as { fromBase64?: (s: string) => Uint8Array };
  const installed: Array<() => void> = [];
  before(() => {
    if (ctor.fromBase64 === undefined) {
      ctor.fromBase64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
      installed.push(() => delete ctor.fromBase64);
    }
    if (proto.toBase64 === undefined) {
      proto.toBase64 = function (this: Uint8Array) {
        return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString('base64');
      };
      installed.push(() => delete proto.toBase64);
    }
  });
  after(() => installed.forEach((undo) => undo()));

  it('agrees with TextEncoder and TextDecoder on ASCII, Latin-1, astral, lone surrogates and invalid bytes', () => {
    for (const text of ['', '{"value": 42}', 'Zürich', 'ÿ\u0080', '温度', '🌡️ 21 °C', 'a\ud800b', '\udc00']) {
      assert.deepEqual(encodeUtf8Natively(text), new TextEncoder().encode(text), JSON.stringify(text));
    }
    for (const bytes of [[], [0x61], [0xc3, 0xbc], [0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xef, 0xbb, 0xbf, 0x61]]) {
      const input = new Uint8Array(bytes);
      // The BOM is the codec's caller's business (utf8Decode drops it, as TextDecoder does).
      assert.equal(decodeUtf8Natively(input), new TextDecoder('utf-8', { ignoreBOM: true }).decode(input), JSON.stringify(bytes));
    }
    const large = 'x'.repeat(20_000) + 'é';
    assert.equal(decodeUtf8Natively(new TextEncoder().encode(large)), large, 'longer than one argument-list chunk');
  });

  it('agrees with the platform on 2,000 random byte strings and strings', () => {
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let round = 0; round < 2000; round++) {
      const bytes = new Uint8Array(random(24)).map(() => [random(0x80), 0x80 + random(0x40), 0xc0 + random(0x40)][random(3)]!);
      assert.equal(decodeUtf8Natively(bytes), new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), JSON.stringify([...bytes]));
      const text = String.fromCharCode(
        ...Array.from({ length: random(12) }, () => [random(0x80), random(0x100), random(0x800), 0xd800 + random(0x800), random(0x10000)][random(5)]!),
      );
      assert.deepEqual(encodeUtf8Natively(text), new TextEncoder().encode(text), JSON.stringify(text));
    }
  });
});

describe('the operator SDK: messages, configuration and the testing host', () => {
  it('reads a payload as bytes, text and JSON, with a fallback for an empty payload', () => {
    const message = Message.of({
      json: { value: 1 },
      topic: 'sensors/a',
      userPropertyList: [
        ['site', 'A'],
        ['site', 'B'],
      ],
    });
    assert.equal(message.text(), '{"value":1}');
    assert.deepEqual(message.json(), { value: 1 });
    assert.equal(message.contentType, 'application/json');
    assert.deepEqual(message.userProperties, { site: 'B' }, 'the last of a repeated key wins in the object view');
    assert.deepEqual(message.userPropertyList, [
      ['site', 'A'],
      ['site', 'B'],
    ]);
    assert.deepEqual(Message.of({}).json({ count: 0 }), { count: 0 });
    assert.throws(() => Message.of({ payload: 'not json' }).json(), SyntaxError);
  });

  it('with() replaces only the fields given', () => {
    const base = Message.of({ payload: 'a', topic: 't', userProperties: { k: 'v' }, contentType: 'text/plain' });
    const next = base.with({ json: [1] });
    assert.equal(next.text(), '[1]');
    assert.equal(next.topic, 't');
    assert.deepEqual(next.userProperties, { k: 'v' });
    assert.equal(next.contentType, 'application/json');
  });

  it('Config parses numbers and booleans and says which parameter is wrong', () => {
    const config = new Config({ n: '2.5', b: 'TRUE', bad: 'x' });
    assert.equal(config.number('n', 0), 2.5);
    assert.equal(config.number('missing', 7), 7);
    assert.equal(config.boolean('b', false), true);
    assert.throws(
      () => config.number('bad', 0),
      (e: unknown) => e instanceof ConfigError && /bad="x" is not a number/.test(e.message),
    );
    assert.throws(() => config.boolean('bad', false), ConfigError);
  });

  it('runs each kind with logs, metrics and a state store, and nothing leaks between harnesses', () => {
    const map = defineMap({
      init: (config) => void log.info(`factor ${config.number('factor', 1)}`),
      process(message) {
        const seen = Number(stateStore.get('seen') ?? '0') + 1;
        stateStore.set('seen', String(seen));
        metrics.counter('mapped', 1, { unit: 'x' });
        return { json: { doubled: message.json<{ v: number }>().v * 2, seen } };
      },
    });
    const harness = testOperator(map, { config: { factor: '3' }, state: { seen: '10' } });
    assert.deepEqual(harness.map({ json: { v: 4 } }).json(), { doubled: 8, seen: 11 });
    assert.equal(harness.state.get('seen'), '11');
    assert.equal(harness.counter('mapped'), 1);
    assert.deepEqual(harness.logs[0], { level: 'info', context: 'map', message: 'factor 3' });
    assert.equal(
      testOperator(map)
        .map({ json: { v: 1 } })
        .json<{ seen: number }>().seen,
      1,
    );
    assert.throws(() => log.info('outside a call'), /no host is installed/);

    assert.equal(testOperator(defineFilter({ process: (m) => m.text() !== 'drop' })).filter({ payload: 'drop' }), false);
    assert.equal(
      testOperator(defineBranch({ process: (_m, ts) => ts.secs > 10 })).branch(Message.of({ timestamp: { secs: 11, nanos: 0, counter: 0, nodeId: 'n' } })),
      true,
    );
    const sum = defineAccumulate({ process: (staged, batch) => ({ json: batch.reduce((s, m) => s + m.json<number>(), staged.json(0)) }) });
    assert.equal(
      testOperator(sum)
        .accumulate({ json: 5 }, [{ json: 1 }, { json: 2 }])
        .json(),
      8,
    );
    const delay = defineDelay({ process: (_m, ts) => ({ ...ts, secs: ts.secs + 1 }) });
    assert.equal(testOperator(delay).delay(Message.of({ timestamp: { secs: 1, nanos: 0, counter: 0, nodeId: 'n' } })).secs, 2);
    assert.throws(() => testOperator(delay).map({}), /a delay operator, not a map/);
  });
});

/** A WIT buffer handle as the host lends it. */
const buffer = (text: string) => ({ tag: 'buffer' as const, val: { read: () => new TextEncoder().encode(text) } });

describe('the operator SDK: binding to the WIT values of each builder', () => {
  const spiderMonkey: Abi = { u64: (v) => BigInt(v), none: undefined };
  const quickJs: Abi = { u64: (v) => v, none: null };
  const item = (u64: (v: number) => unknown) => ({
    tag: 'message',
    val: {
      timestamp: { timestamp: { secs: u64(1_700_000_000), nanos: 5 }, counter: u64(3), nodeId: buffer('node') },
      topic: buffer('sensors/a'),
      contentType: undefined,
      payload: buffer('{"v":2}'),
      properties: { userProperties: [[buffer('site'), { tag: 'string', val: 'Zürich' }]] },
      schema: { tag: 'registry-reference', val: buffer('schema-1') },
    },
  });

  for (const [label, abi] of [
    ['componentize-js (BigInt, undefined)', spiderMonkey],
    ['componentize-qjs (number, null)', quickJs],
  ] as const) {
    it(`decodes and re-encodes a message for ${label}`, () => {
      const map = defineMap({ process: (m) => ({ json: { v: m.json<{ v: number }>().v + 1, topic: m.topic, ts: m.timestamp } }) });
      const bound = bindExports({ map }, ['map'], abi, 'demo') as { map: { init(c: unknown): boolean; process(i: unknown): any } };
      const out = bound.map.process(item(abi.u64));
      assert.equal(out.tag, 'message');
      assert.deepEqual(JSON.parse(new TextDecoder().decode(out.val.payload.val)), {
        v: 3,
        topic: 'sensors/a',
        ts: { secs: 1_700_000_000, nanos: 5, counter: 3, nodeId: 'node' },
      });
      assert.deepEqual(out.val.timestamp.timestamp.secs, abi.u64(1_700_000_000));
      assert.deepEqual(out.val.timestamp.counter, abi.u64(3));
      assert.deepEqual(out.val.contentType, { tag: 'string', val: 'application/json' });
      // Fields the update left alone go back as the host lent them (the topic's buffer handle, the properties).
      assert.equal(out.val.topic.tag, 'buffer');
      assert.equal(new TextDecoder().decode(out.val.topic.val.read()), 'sensors/a');
      assert.equal(new TextDecoder().decode(out.val.properties.userProperties[0][0].val.read()), 'site');
      assert.deepEqual(out.val.properties.userProperties[0][1], { tag: 'string', val: 'Zürich' });
      assert.deepEqual(out.val.schema, { tag: 'registry-reference', val: { tag: 'string', val: 'schema-1' } }, 'the schema the message carried rides along');
      const delay = bindExports({ delay: defineDelay({ process: (_m, ts) => ({ ...ts, secs: ts.secs + 10 }) }) }, ['delay'], abi, 'demo') as {
        delay: { process(i: unknown, t: unknown): any };
      };
      const clock = delay.delay.process(item(abi.u64), { timestamp: { secs: abi.u64(5), nanos: 0 }, counter: abi.u64(0), nodeId: 'n' });
      assert.deepEqual(clock, { timestamp: { secs: abi.u64(15), nanos: 0 }, counter: abi.u64(0), nodeId: 'n' });
    });
  }

  for (const [label, abi] of [
    ['componentize-js', spiderMonkey],
    ['componentize-qjs', quickJs],
  ] as const) {
    it(`hands back the fields an operator left alone as the host lent them, and encodes the rest (${label})`, () => {
      const reads: string[] = [];
      const lent = (name: string, text: string) => ({ tag: 'buffer' as const, val: { read: () => (reads.push(name), new TextEncoder().encode(text)) } });
      const witItem = () => ({
        tag: 'message',
        val: {
          timestamp: { timestamp: { secs: abi.u64(10), nanos: 0 }, counter: abi.u64(0), nodeId: lent('node', 'n') },
          topic: lent('topic', 'a/b'),
          contentType: abi.none,
          payload: lent('payload', '{"v":1}'),
          properties: { userProperties: [[lent('key', 'k'), lent('value', 'v')]] },
          schema: abi.none,
        },
      });
      const process = (operator: Parameters<typeof defineMap>[0]) =>
        (bindExports({ map: defineMap(operator) }, ['map'], abi, 'demo') as { map: { process(i: unknown): any } }).map.process;

      // Unchanged: every field is the very value that came in, and no handle was read.
      const input = witItem();
      const same = process({ process: (m) => m })(input);
      assert.equal(same.val.payload, input.val.payload);
      assert.equal(same.val.topic, input.val.topic);
      assert.equal(same.val.timestamp, input.val.timestamp);
      assert.equal(same.val.properties, input.val.properties);
      assert.equal(same.val.contentType, abi.none);
      assert.deepEqual(reads, []);

      // Through `with` (twice): only what the updates replaced is encoded; the payload was read for the JSON.
      const updated = process({ process: (m) => m.with({ topic: 'c/d' }).with({ json: { v: m.json<{ v: number }>().v + 1 } }) })(input);
      assert.deepEqual(reads, ['payload']);
      assert.deepEqual(updated.val.topic, { tag: 'bytes', val: new TextEncoder().encode('c/d') });
      assert.deepEqual(updated.val.payload, { tag: 'bytes', val: new TextEncoder().encode('{"v":2}') });
      assert.deepEqual(updated.val.contentType, { tag: 'string', val: 'application/json' });
      assert.equal(updated.val.properties, input.val.properties);
      assert.equal(updated.val.timestamp, input.val.timestamp);

      // A message kept from an earlier call (its fields read then): its handles are no longer the module's, so
      // every field is encoded from what was read.
      let kept: Message | undefined;
      const keep = process({ process: (m) => (kept ??= (m.topic, m.payload, m.userPropertyList, m.timestamp, m.with({}))) });
      keep(witItem());
      reads.length = 0;
      const stale = keep(witItem());
      assert.deepEqual(stale.val.topic, { tag: 'bytes', val: new TextEncoder().encode('a/b') });
      assert.deepEqual(stale.val.payload, { tag: 'bytes', val: new TextEncoder().encode('{"v":1}') });
      assert.deepEqual(stale.val.properties.userProperties, [
        [
          { tag: 'string', val: 'k' },
          { tag: 'string', val: 'v' },
        ],
      ]);
      assert.deepEqual(stale.val.timestamp, { timestamp: { secs: abi.u64(10), nanos: 0 }, counter: abi.u64(0), nodeId: { tag: 'string', val: 'n' } });
      assert.deepEqual(reads, [], 'the kept message reads no handle of the new call');
    });
  }

  it('turns a thrown error into the WIT error result, and a bad parameter into a refused init with a log line', () => {
    const map = defineMap({
      init: (config) => void config.number('factor', 1),
      process: () => {
        throw new RangeError('value out of range');
      },
    });
    const bound = bindExports({ map }, ['map'], { u64: (v) => v, none: null }, 'demo') as { map: { process(i: unknown): unknown } };
    assert.throws(
      () => bound.map.process(item((v) => v)),
      (e: unknown) => (e as { message: string }).message === 'RangeError: value out of range',
    );
    const harness = testOperator(map, { config: { factor: 'many' } });
    assert.equal(harness.initialized, false);
    assert.deepEqual(harness.logs, [{ level: 'error', context: 'map', message: 'init failed: parameter factor="many" is not a number' }]);
    assert.equal(testOperator(map, { config: { factor: '2' } }).initialized, true);
  });

  it('passes objects written directly against the WIT through unchanged, and names a missing export', () => {
    const raw = { init: () => true, process: () => true };
    assert.equal((bindExports({ filter: raw }, ['filter'], { u64: (v) => v, none: null }, 'demo') as Record<string, unknown>)['filter'], raw);
    assert.throws(
      () => bindExports({}, ['branch'], { u64: (v) => v, none: null }, 'demo'),
      /exports no branch operator: add `export const branch = defineBranch/,
    );
  });
});
