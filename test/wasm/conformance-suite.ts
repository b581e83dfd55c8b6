/**
 * The operator conformance suite: one contract, run against every fixture implementation (hand-written WAT and
 * JavaScript built with componentize-js, TypeScript on the aio SDK built with each engine). The contract:
 * - init returns false when a parameter named `reject` is present;
 * - map upper-cases ASCII in the payload and keeps every other field; a payload starting with `error` returns the
 *   error result `refused: <payload>`; one starting with `trap` traps;
 * - filter drops payloads starting with `#`; branch is true for payloads starting with `T`;
 * - accumulate returns the staged payload followed by `+<payload>` for each batch item, other fields from the last item;
 * - delay aligns the timestamp to the 10-second window start, counter 0, node id kept.
 */
import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { createMessage, type Item, type Message } from '../../src/engine/message.js';
import type { Hlc } from '../../src/engine/hlc.js';
import { loadComponentFile, type LoadedComponent } from '../../src/wasm/load-component.js';
import { OperatorModule } from '../../src/wasm/operator-module.js';
import { OperatorFailure } from '../../src/engine/operator-failure.js';
import type { OperatorInterface } from '../../src/wasm/wit-names.js';
import { AioError } from '../../src/errors.js';
import { testServices, useSharedCache } from '../helpers/components.js';

const ts: Hlc = { secs: 1_763_000_003, nanos: 250_000_000, counter: 7, nodeId: 'node-ü' };
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

function message(payload: string | Uint8Array, extra: Partial<Message> = {}): Message {
  return createMessage({
    timestamp: ts,
    payload,
    topic: 'factory/line1',
    contentType: 'application/json',
    userProperties: [
      ['site', 'Zürich'],
      ['site', 'Basel'],
    ],
    ...extra,
  });
}

export interface SuiteOptions {
  /** False for implementations with no way to trap on purpose (the SDK turns every exception into an error result). */
  traps?: boolean;
  /** The context the implementation logs `mapped` with (the SDK writes `<module>/<kind>`). */
  logContext?: string;
}

export function conformanceSuite(label: string, wasmPath: string, options: SuiteOptions = {}): void {
  describe(`operator conformance: ${label}`, () => {
    let component: LoadedComponent;
    let services: ReturnType<typeof testServices>;
    const operator = (iface: OperatorInterface, properties: Array<[string, string]> = []): OperatorModule =>
      OperatorModule.create({ component, operation: `conformance/${iface}`, interface: iface, configuration: { properties }, services });

    before(async () => {
      useSharedCache();
      component = await loadComponentFile(wasmPath);
      services = testServices();
    });

    it('exports all five operator interfaces', () => {
      assert.deepEqual(component.world.operators, ['map', 'filter', 'branch', 'accumulate', 'delay']);
    });

    it('map transforms the payload and keeps timestamp, topic, content type and user properties', () => {
      const input = message('{"temp": 71.5}', { mqtt: { qos: 1, responseTopic: 'reply/here', correlationData: new Uint8Array([1, 2]) } });
      const out = operator('map').map(input) as Message;
      assert.equal(out.kind, 'message');
      assert.equal(text(out.payload), '{"TEMP": 71.5}');
      assert.deepEqual(out.timestamp, ts);
      assert.equal(text(out.topic), 'factory/line1');
      assert.equal(out.contentType, 'application/json');
      assert.deepEqual(out.userProperties, [
        ['site', 'Zürich'],
        ['site', 'Basel'],
      ]);
      assert.deepEqual(out.mqtt, input.mqtt, 'MQTT properties the module never sees carry over');
    });

    it('map accepts the raw-bytes data-model case', () => {
      const out = operator('map').map({ kind: 'bytes', timestamp: ts, bytes: new TextEncoder().encode('abc') });
      assert.equal(out.kind, 'bytes');
      assert.equal(text((out as Extract<Item, { kind: 'bytes' }>).bytes), 'ABC');
    });

    it('map carries a 1 MiB payload intact', () => {
      const big = new Uint8Array(1 << 20).map((_, i) => 65 + (i % 26));
      const out = operator('map').map(message(big)) as Message;
      assert.equal(out.payload.length, big.length);
      assert.deepEqual(out.payload, big);
    });

    it('an error result fails only that item, with the operation name and timestamp', () => {
      const map = operator('map');
      assert.throws(
        () => map.map(message('error: sensor offline')),
        (error: unknown) => {
          assert.ok(error instanceof OperatorFailure);
          assert.equal(error.kind, 'error');
          assert.equal(error.operation, 'conformance/map');
          assert.equal(error.detail, 'refused: error: sensor offline');
          assert.match(error.message, /001763000003250:00007:node-ü/);
          return true;
        },
      );
      assert.equal(text((map.map(message('ok')) as Message).payload), 'OK');
      assert.equal(map.restarts, 0);
    });

    it(
      'a trap fails only that item; the instance is replaced before the next call',
      { skip: options.traps === false && 'no trap case: the SDK turns exceptions into error results' },
      () => {
        const map = operator('map');
        assert.throws(
          () => map.map(message('trap please')),
          (error: unknown) => error instanceof OperatorFailure && error.kind === 'trap' && /conformance\/map/.test(error.message),
        );
        assert.equal(text((map.map(message('after')) as Message).payload), 'AFTER');
        assert.equal(map.restarts, 1);
        const filter = operator('filter');
        assert.throws(
          () => filter.filter(message('trap')),
          (error: unknown) => error instanceof OperatorFailure && error.kind === 'trap',
        );
        assert.equal(filter.filter(message('fine')), true);
      },
    );

    it('filter keeps or drops', () => {
      const filter = operator('filter');
      assert.equal(filter.filter(message('#comment')), false);
      assert.equal(filter.filter(message('reading')), true);
      assert.equal(filter.filter(message('')), true);
    });

    it('branch chooses the arm', () => {
      const branch = operator('branch');
      assert.equal(branch.branch(message('Temperature')), true);
      assert.equal(branch.branch(message('humidity')), false);
    });

    it('accumulate folds a batch into the staged value', () => {
      const accumulate = operator('accumulate');
      const later = { ...ts, counter: 9 };
      const out = accumulate.accumulate(message(''), [
        message('a'),
        message('bb'),
        message('c', { timestamp: later, topic: new TextEncoder().encode('last') }),
      ]) as Message;
      assert.equal(text(out.payload), '+a+bb+c');
      assert.deepEqual(out.timestamp, later);
      assert.equal(text(out.topic), 'last');
      const empty = accumulate.accumulate(message('staged'), []) as Message;
      assert.equal(text(empty.payload), 'staged');
    });

    it('delay returns the new timestamp', () => {
      assert.deepEqual(operator('delay').delay(message('x')), { secs: 1_763_000_000, nanos: 0, counter: 0, nodeId: 'node-ü' });
    });

    it('init returning false names the operation and its parameters', () => {
      assert.throws(
        () =>
          operator('map', [
            ['threshold', '5'],
            ['reject', 'yes'],
          ]),
        (error: unknown) => {
          assert.ok(error instanceof AioError);
          assert.equal(error.code, 'AIO_MODULE_INIT_REJECTED');
          assert.match(error.message, /conformance\/map/);
          assert.match(error.message, /threshold=5, reject=yes/);
          return true;
        },
      );
    });

    it('logger and metrics reach the run, labelled by operation', () => {
      const local = testServices();
      const map = OperatorModule.create({ component, operation: 'metered/map', interface: 'map', configuration: { properties: [] }, services: local });
      map.map(message('one'));
      map.map(message('two'));
      const mapped = local.log.entries.filter((e) => e.message === 'mapped');
      assert.equal(mapped.length, 2);
      assert.equal(mapped[0]!.operation, 'metered/map');
      assert.equal(mapped[0]!.level, 'info');
      assert.equal(mapped[0]!.context, options.logContext ?? 'conformance');
      assert.equal(local.metrics.counter('metered/map', 'conformance_mapped', [{ key: 'operator', value: 'map' }]), 2n);
    });

    it('a host import that throws traps only that call; the next call gets a fresh instance', () => {
      const local = testServices();
      let failLog = false;
      const write = local.log.write.bind(local.log);
      local.log.write = (entry) => {
        if (failLog && entry.message === 'mapped') throw new Error('log sink broke');
        write(entry);
      };
      const map = OperatorModule.create({ component, operation: 'fragile/map', interface: 'map', configuration: { properties: [] }, services: local });
      assert.equal(text((map.map(message('a')) as Message).payload), 'A');
      failLog = true;
      assert.throws(
        () => map.map(message('b')),
        (error: unknown) => error instanceof OperatorFailure && error.kind === 'trap' && /log sink broke/.test(error.message),
      );
      failLog = false;
      assert.equal(text((map.map(message('c')) as Message).payload), 'C');
      assert.equal(map.outstandingHandles, 0);
      assert.equal(local.metrics.counter('fragile/map', 'conformance_mapped', [{ key: 'operator', value: 'map' }]), 2n);
    });

    it('frees every buffer handle it lent, after successes, errors and traps', () => {
      const map = operator('map');
      for (let i = 0; i < 500; i++) {
        const payload = i % 50 === 0 ? 'error' : i % 75 === 0 ? 'trap' : `n${i}`;
        try {
          map.map(message(payload));
        } catch (error) {
          assert.ok(error instanceof OperatorFailure);
        }
        assert.equal(map.outstandingHandles, 0);
      }
    });
  });
}
