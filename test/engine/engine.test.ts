import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphEngine } from '../../src/engine/graph-engine.js';
import { compareHlc, formatTs, hlcFromMillis, HlcClock, parseTs, type Hlc } from '../../src/engine/hlc.js';
import { createMessage, payloadOf, type Item } from '../../src/engine/message.js';
import type { Operator } from '../../src/engine/operators.js';
import type { Graph } from '../../src/graph/model.js';
import { validateGraphText } from '../../src/graph/validate.js';
import { MemoryLog } from '../../src/engine/run-log.js';
import { OperatorFailure } from '../../src/engine/operator-failure.js';

const text = (item: Item) => new TextDecoder().decode(payloadOf(item));
const at = (seconds: number, payload: string): Item => createMessage({ timestamp: hlcFromMillis(seconds * 1000, 0, 'test'), payload });

function graphOf(yaml: string): Graph {
  const v = validateGraphText('test.yaml', yaml);
  assert.ok(v.valid, JSON.stringify(v.diagnostics));
  return v.graph!;
}

const header = `
metadata: { $schema: "x", name: t, version: "1" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
`;

/** source → window/delay → window/accumulate → sink; the window sums numbers per 10 s. */
const windowGraph = graphOf(`${header}
operations:
  - { operationType: source, name: source }
  - { operationType: delay, name: window/delay, module: window }
  - { operationType: accumulate, name: window/accumulate, module: window }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: window/delay } }
  - { from: { name: window/delay }, to: { name: window/accumulate } }
  - { from: { name: window/accumulate }, to: { name: sink } }
`);

/** A 10-second tumbling window in plain JS, with the same contract as the example's window module. */
const windowOperator: Partial<Operator> = {
  delay: (item) => ({ secs: (Math.floor(item.timestamp.secs / 10) + 1) * 10, nanos: 0, counter: 0, nodeId: 'window' }),
  accumulate: (staged, batch) => {
    const state = text(staged) ? (JSON.parse(text(staged)) as { count: number; sum: number }) : { count: 0, sum: 0 };
    for (const item of batch) {
      state.count++;
      state.sum += Number(text(item));
    }
    return createMessage({ timestamp: staged.timestamp, payload: JSON.stringify(state) });
  },
};

function run(graph: Graph, operators: Record<string, Partial<Operator>>, items: Item[]) {
  const out: Item[] = [];
  const log = new MemoryLog();
  const engine = new GraphEngine({ graph, operators: new Map(Object.entries(operators) as Array<[string, Operator]>), log, sink: (item) => out.push(item) });
  for (const item of items) engine.push(item);
  const beforeFinish = out.length;
  engine.finish();
  const stats = Object.fromEntries(engine.stats.map((s) => [s.operation, s]));
  return { out, beforeFinish, log, stats };
}

describe('engine: windows close on the frontier', () => {
  const windowOps = { 'window/delay': windowOperator, 'window/accumulate': windowOperator };

  it('emits a window once an item past its end arrives, and the rest at the end of input', () => {
    const result = run(windowGraph, windowOps, [at(1, '1'), at(3, '3'), at(9, '9'), at(12, '12')]);
    assert.equal(result.beforeFinish, 1, 'the 12 s item closes the [0,10) window');
    assert.deepEqual(result.out.map(text), ['{"count":3,"sum":13}', '{"count":1,"sum":12}']);
    assert.deepEqual(
      result.out.map((i) => i.timestamp.secs),
      [10, 20],
    );
  });

  it('gives the same window results for out-of-order input as for ordered input', () => {
    const ordered = run(windowGraph, windowOps, [at(1, '1'), at(3, '3'), at(9, '9'), at(12, '12'), at(15, '15'), at(21, '21')]);
    const shuffled = run(windowGraph, windowOps, [at(9, '9'), at(1, '1'), at(3, '3'), at(15, '15'), at(12, '12'), at(21, '21')]);
    assert.deepEqual(shuffled.out.map(text), ordered.out.map(text));
    assert.deepEqual(
      shuffled.out.map((i) => formatTs(i.timestamp)),
      ordered.out.map((i) => formatTs(i.timestamp)),
    );
    assert.equal(ordered.out.length, 3);
  });

  it('drops an item whose window has already closed, counts it and says why', () => {
    const result = run(windowGraph, windowOps, [at(1, '1'), at(12, '12'), at(5, '5')]);
    assert.deepEqual(result.out.map(text), ['{"count":1,"sum":1}', '{"count":1,"sum":12}']);
    assert.equal(result.stats['window/accumulate']!.dropped, 1);
    const warning = result.log.entries.find((e) => e.level === 'warn');
    assert.match(warning!.message, /late: the window at .* had already closed/);
    assert.equal(warning!.operation, 'window/accumulate');
  });

  it('rejects a delay that moves an item backwards as an error on that item only', () => {
    const backwards: Partial<Operator> = { ...windowOperator, delay: (item) => (text(item) === 'back' ? hlcFromMillis(0) : windowOperator.delay!(item)) };
    const result = run(windowGraph, { 'window/delay': backwards, 'window/accumulate': windowOperator }, [at(1, '1'), at(2, 'back'), at(3, '3')]);
    assert.deepEqual(result.out.map(text), ['{"count":2,"sum":4}']);
    assert.equal(result.stats['window/delay']!.errors, 1);
    assert.match(result.log.entries.find((e) => e.level === 'error')!.message, /must not go backwards/);
  });
});

describe('engine: routing, order and failures', () => {
  const branchGraph = graphOf(`${header}
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: m/map, module: m }
  - { operationType: filter, name: m/filter, module: m }
  - { operationType: branch, name: m/branch, module: m }
  - { operationType: delay, name: window/delay, module: window }
  - { operationType: accumulate, name: window/accumulate, module: window }
  - { operationType: concatenate, name: merge }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: m/map } }
  - { from: { name: m/map }, to: { name: m/filter } }
  - { from: { name: m/filter }, to: { name: m/branch } }
  - { from: { name: m/branch, arm: "True" }, to: { name: window/delay } }
  - { from: { name: window/delay }, to: { name: window/accumulate } }
  - { from: { name: window/accumulate }, to: { name: merge } }
  - { from: { name: m/branch, arm: "False" }, to: { name: merge } }
  - { from: { name: merge }, to: { name: sink } }
`);
  const m: Partial<Operator> = {
    map: (item) => {
      if (text(item) === 'boom') throw new OperatorFailure('trap', 'm/map', item.timestamp, 'unreachable');
      return { ...item, payload: new TextEncoder().encode(text(item).trim()) } as Item;
    },
    filter: (item) => text(item) !== 'drop',
    branch: (item) => /^\d+$/.test(text(item)),
  };
  const operators = { 'm/map': m, 'm/filter': m, 'm/branch': m, 'window/delay': windowOperator, 'window/accumulate': windowOperator };

  it('routes branch arms, merges in timestamp order and counts every operation', () => {
    const items = [at(1, ' 4'), at(2, 'status-a'), at(5, 'drop'), at(6, '6'), at(11, 'status-b'), at(12, '1'), at(13, 'boom'), at(14, 'status-c')];
    const result = run(branchGraph, operators, items);
    assert.deepEqual(result.out.map(text), ['status-a', '{"count":2,"sum":10}', 'status-b', 'status-c', '{"count":1,"sum":1}']);
    const times = result.out.map((i) => i.timestamp);
    for (let i = 1; i < times.length; i++) assert.ok(compareHlc(times[i - 1]!, times[i]!) <= 0, 'merged output is in timestamp order');
    const s = result.stats;
    assert.deepEqual([s['source']!.in, s['m/map']!.in, s['m/map']!.out, s['m/map']!.errors], [8, 8, 7, 1]);
    assert.deepEqual([s['m/filter']!.out, s['m/filter']!.dropped], [6, 1]);
    assert.deepEqual([s['merge']!.in, s['sink']!.out], [5, 5]);
    assert.equal(s['m/map']!.latency.count, 8, 'every module call is timed');
    assert.match(result.log.entries.find((e) => e.level === 'error')!.message, /m\/map: module trapped at item .*: unreachable/);
  });

  it('keeps arrival order along a path for items sharing a timestamp', () => {
    const same = hlcFromMillis(1000, 0, 'x');
    const items = ['a', 'b', 'c', 'd'].map((p) => createMessage({ timestamp: same, payload: `status-${p}` }));
    assert.deepEqual(run(branchGraph, operators, items).out.map(text), ['status-a', 'status-b', 'status-c', 'status-d']);
  });
});

describe('hybrid logical clock', () => {
  it('parses and formats the __ts user property', () => {
    const ts = parseTs('001758255553528:00003:node:with:colons')!;
    assert.deepEqual(ts, { secs: 1758255553, nanos: 528_000_000, counter: 3, nodeId: 'node:with:colons' });
    assert.equal(formatTs(ts), '001758255553528:00003:node:with:colons');
    assert.equal(parseTs('yesterday'), undefined);
  });

  it('never repeats or goes backwards, even when the wall clock does', () => {
    const times = [1000, 1000, 999, 1001];
    const clock = new HlcClock('n', () => times.shift()!);
    const stamps: Hlc[] = [clock.next(), clock.next(), clock.next(), clock.next()];
    for (let i = 1; i < stamps.length; i++) assert.ok(compareHlc(stamps[i - 1]!, stamps[i]!) < 0);
    assert.deepEqual(
      stamps.map((s) => s.counter),
      [0, 1, 2, 0],
    );
  });
});
