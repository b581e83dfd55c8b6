/**
 * The window, throttle and concatenate built-ins run as engine nodes over a recording NodeContext: every example
 * of builtin-examples.json for them, the conditions the docs describe without an example (count, triggers,
 * `messageInNext` under both readings, late data, end of input), and configuration findings with their offsets.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_BUILTIN_OPTIONS, type BuiltinOptions, type ConfigurationEntry } from '../../src/builtins/builtin-transform.js';
import { compileBuiltin, isBuiltinArtifact } from '../../src/builtins/transforms/index.js';
import { AFTER_ALL, hlcFromMillis, hlcToMillis, type Hlc } from '../../src/engine/hlc.js';
import { createMessage, type Item, type Message } from '../../src/engine/message.js';
import type { GraphNode, NodeContext } from '../../src/engine/operators.js';
import type { OperatorFailure } from '../../src/engine/operator-failure.js';
import { assertClose } from '../helpers/builtin-node.js';

interface ExampleMessage {
  topic?: string;
  payload: unknown;
  atMs?: number;
  from?: string;
  userProperties?: Array<[string, string]>;
}
interface Example {
  id: string;
  transform: string;
  artifact: string;
  configuration: ConfigurationEntry[];
  input: ExampleMessage[];
  expected: ExampleMessage[] | 'dropped';
  alternativeExpected?: ExampleMessage[];
  perInput?: Array<'forwarded' | 'dropped'>;
  closedBy?: string;
}

const EXAMPLES = JSON.parse(readFileSync(new URL('../../../test/fixtures/builtins/builtin-examples.json', import.meta.url), 'utf8')) as Example[];
const utf8 = new TextDecoder();

/** What a node did, in order. */
interface Recorded {
  emitted: Message[];
  dropped: Array<{ item: Item; reason: string | undefined }>;
  failed: OperatorFailure[];
  folded: number;
}

/** Compiles and instantiates a built-in over a recording context; `clock.now` is the processing time. */
function run(artifact: string, configuration: ConfigurationEntry[], options: Partial<BuiltinOptions> = {}) {
  const { findings, builtin } = compileBuiltin(artifact, configuration);
  assert.deepEqual(
    findings.filter((f) => f.severity === 'error'),
    [],
  );
  assert.ok(builtin);
  const recorded: Recorded = { emitted: [], dropped: [], failed: [], folded: 0 };
  const clock = { now: 0 };
  const context: NodeContext = {
    operation: 'node',
    operator: undefined,
    out: {
      emit: (item) => recorded.emitted.push(item as Message),
      drop: (item, reason) => recorded.dropped.push({ item, reason }),
      fail: (failure) => recorded.failed.push(failure),
      timed: (call) => call(),
      folded: () => recorded.folded++,
    },
  };
  const node: GraphNode = builtin.instantiate(context, {
    stateStoreGet: () => undefined,
    processingTime: () => clock.now,
    options: { ...DEFAULT_BUILTIN_OPTIONS, ...options },
  });
  return { node, recorded, clock };
}

function message(input: ExampleMessage, timestamp: Hlc): Message {
  return createMessage({ timestamp, topic: input.topic ?? 'in', payload: JSON.stringify(input.payload), userProperties: input.userProperties ?? [] });
}

function assertOutputs(actual: Message[], expected: ExampleMessage[]): void {
  assert.equal(actual.length, expected.length, `outputs: ${actual.map((m) => utf8.decode(m.payload)).join(' | ')}`);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    assertClose(JSON.parse(utf8.decode(got.payload)), want.payload, `output ${i}`);
    if (want.topic !== undefined) assert.equal(utf8.decode(got.topic), want.topic);
  });
}

const examples = (transform: string) => EXAMPLES.filter((e) => e.transform === transform);

describe('built-in examples: throttle', () => {
  for (const example of examples('throttle')) {
    it(example.id, () => {
      const { node, recorded, clock } = run(example.artifact, example.configuration);
      const fates: string[] = [];
      example.input.forEach((input, i) => {
        clock.now = input.atMs!;
        const before = recorded.emitted.length;
        const item = message(input, hlcFromMillis(1_000 + i));
        node.receive(item, 0);
        node.advance(item.timestamp);
        fates.push(recorded.emitted.length > before ? 'forwarded' : 'dropped');
      });
      assertOutputs(recorded.emitted, example.expected as ExampleMessage[]);
      if (example.perInput) assert.deepEqual(fates, example.perInput);
      // Every drop says which rule throttled it; messages pass unmodified.
      for (const { reason } of recorded.dropped) assert.match(reason ?? '', /^throttled by rule \S+ \([\d.]+ msg\/s\)$/);
      assert.equal(recorded.dropped.length, fates.filter((f) => f === 'dropped').length);
    });
  }
  assert.ok(examples('throttle').length >= 4);
});

describe('throttle state', () => {
  it('belongs to one node instance: a second run of the same compiled throttle starts afresh', () => {
    const { builtin } = compileBuiltin('azureiotoperations/graph-dataflow-throttle:1.0.0', [
      { key: 'throttle', value: '{"perTopicThrottles":[{"topic":"#","maxMessagesPerSecond":1}]}' },
    ]);
    const forwarded = (): number => {
      let count = 0;
      const out = { emit: () => count++, drop: () => {}, fail: () => {}, timed: <T>(call: () => T) => call(), folded: () => {} };
      const node = builtin!.instantiate(
        { operation: 't', operator: undefined, out },
        { stateStoreGet: () => undefined, processingTime: () => 0, options: DEFAULT_BUILTIN_OPTIONS },
      );
      for (let i = 0; i < 3; i++) node.receive(createMessage({ timestamp: hlcFromMillis(i), topic: 'a/b', payload: '{}' }), 0);
      return count;
    };
    assert.equal(forwarded(), 1);
    assert.equal(forwarded(), 1);
  });
});

describe('built-in examples: concatenate', () => {
  for (const example of examples('concatenate')) {
    it(example.id, () => {
      const { node, recorded } = run(example.artifact, example.configuration);
      const inputs = [...new Set(example.input.map((m) => m.from))];
      example.input.forEach((input, i) => node.receive(message(input, hlcFromMillis(1_000 + i)), inputs.indexOf(input.from)));
      assert.equal(recorded.emitted.length, 0, 'held until the frontier passes');
      node.advance(AFTER_ALL);
      assertOutputs(recorded.emitted, example.expected as ExampleMessage[]);
    });
  }
});

describe('built-in examples: window', () => {
  for (const example of examples('window')) {
    it(example.id, () => {
      const { node, recorded } = run(example.artifact, example.configuration);
      // The memory example's "<large string>": 600,000 characters each, so the second message reaches 1 MiB.
      const inputs = example.input.map((m) => JSON.parse(JSON.stringify(m).replaceAll('<large string>', 'x'.repeat(600_000))) as ExampleMessage);
      const start = 1_800_000_000_000; // a multiple of 30 s: messages at +1 s, +2 s, … fall into one window
      inputs.forEach((input, i) => {
        const item = message(input, hlcFromMillis(start + 1_000 * (i + 1), 0, 'src'));
        node.receive(item, 0);
        node.advance(item.timestamp);
      });
      const byDuration = example.closedBy!.startsWith('duration');
      assert.equal(recorded.emitted.length, byDuration ? 0 : 1, 'a duration window stays open until its boundary passes');
      node.advance(hlcFromMillis(start + 30_001));
      assertOutputs(recorded.emitted, example.expected as ExampleMessage[]);
      const out = recorded.emitted[0]!;
      assert.equal(out.contentType, 'application/json');
      assert.equal(utf8.decode(out.topic), inputs.at(-1)!.topic);
      // Duration: the window boundary; message-driven: the boundary message's timestamp.
      assert.equal(hlcToMillis(out.timestamp), byDuration ? start + 30_000 : start + 1_000 * inputs.length);
      assert.equal(recorded.folded, inputs.length);
      assert.deepEqual(recorded.failed, []);
    });
  }
});

const WINDOW_1_1 = 'azureiotoperations/graph-dataflow-window:1.1.0';
const SUM_RULES = {
  key: 'rules',
  value: '{"accumulate":[{"inputs":["v"],"output":"n","expression":"count($1)"},{"inputs":["v"],"output":"stats.sum","expression":"sum($1)"}]}',
};
const T0 = 1_800_000_000_000; // a multiple of 60 s

/** Feeds `values` as `{v}` one second apart from T0 + 1 s; returns each output as [n, sum, emitted at ms]. */
function feed(node: GraphNode, recorded: Recorded, values: unknown[], startMs = T0 + 1_000): Array<[number, number, number]> {
  values.forEach((v, i) => {
    const item = createMessage({ timestamp: hlcFromMillis(startMs + 1_000 * i, 0, 'src'), topic: `t/${i}`, payload: JSON.stringify({ v }) });
    node.receive(item, 0);
    node.advance(item.timestamp);
  });
  return recorded.emitted.map((m) => {
    const out = JSON.parse(utf8.decode(m.payload)) as { n: number; stats: { sum: number } };
    return [out.n, out.stats.sum, hlcToMillis(m.timestamp)];
  });
}

const count = (max: number, boundary: string) => ({ key: 'count', value: `{"type":"messageCount","maxMessageCount":${max},"boundaryMessage":"${boundary}"}` });

describe('window 1.1.0 message-driven conditions', () => {
  it('count with messageInCurrent: the n-th message closes its window (the docs: 5 readings → readingCount 5)', () => {
    const { node, recorded } = run(WINDOW_1_1, [count(5, 'messageInCurrent'), SUM_RULES]);
    assert.deepEqual(feed(node, recorded, [1, 2, 3, 4, 5, 6, 7]), [[5, 15, T0 + 5_000]]);
    node.advance(hlcFromMillis(T0 + 60_001)); // the 60 s default duration closes the rest
    assert.deepEqual(JSON.parse(utf8.decode(recorded.emitted[1]!.payload)), { n: 2, stats: { sum: 13 } });
    assert.equal(hlcToMillis(recorded.emitted[1]!.timestamp), T0 + 60_000);
  });

  it('count with messageInNext, reading A (default): the limit-reaching message opens the next window (N − 1 per window)', () => {
    const { node, recorded } = run(WINDOW_1_1, [count(3, 'messageInNext'), SUM_RULES]);
    assert.deepEqual(feed(node, recorded, [1, 2, 3, 4, 5]), [
      [2, 3, T0 + 3_000],
      [2, 7, T0 + 5_000],
    ]);
  });

  it('count with messageInNext, reading B: a full window closes on the next message (N per window)', () => {
    const { node, recorded } = run(WINDOW_1_1, [count(3, 'messageInNext'), SUM_RULES], { windowLimitReading: 'B' });
    assert.deepEqual(feed(node, recorded, [1, 2, 3, 4, 5, 6, 7]), [
      [3, 6, T0 + 4_000],
      [3, 15, T0 + 7_000],
    ]);
  });

  it('memory before count: a message meeting both follows memory (messageInCurrent) and joins the closing window', () => {
    const memory = { key: 'memory', value: '{"type":"bufferSize","maxBufferBytes":24,"boundaryMessage":"messageInCurrent"}' };
    const { node, recorded } = run(WINDOW_1_1, [memory, count(3, 'messageInNext'), SUM_RULES]);
    // Payloads {"v":NN} are 8 bytes: the 3rd message reaches 24 bytes (memory, messageInCurrent) and would also be
    // the count boundary (reading A, messageInNext, which alone gives windows of 2): memory decides.
    assert.deepEqual(feed(node, recorded, [10, 20, 30, 40]), [[3, 60, T0 + 3_000]]);
  });

  it('triggers: running functions see the previous messages; state resets when the window closes', () => {
    const triggers = {
      key: 'triggers',
      value: '{"type":"expression","rules":[{"inputs":["v"],"trigger":"running_sum($1) + $1 > 10","boundaryMessage":"messageInCurrent"}]}',
    };
    const { node, recorded } = run(WINDOW_1_1, [triggers, SUM_RULES]);
    assert.deepEqual(feed(node, recorded, [4, 4, 4, 1, 2, 9]), [
      [3, 12, T0 + 3_000],
      [3, 12, T0 + 6_000],
    ]);
  });

  it('a trigger with messageInNext and `??`: the boundary message opens the next window; an empty window is never emitted', () => {
    const triggers = {
      key: 'triggers',
      value: '{"type":"expression","rules":[{"inputs":["reset ?? false"],"trigger":"$1","boundaryMessage":"messageInNext"}]}',
    };
    const { node, recorded } = run(WINDOW_1_1, [triggers, { key: 'rules', value: '{"accumulate":[{"inputs":["v"],"output":"n","expression":"count($1)"}]}' }]);
    const payloads = [{ v: 1, reset: true }, { v: 2 }, { v: 3 }, { v: 4, reset: true }, { v: 5 }];
    payloads.forEach((p, i) => {
      const item = createMessage({ timestamp: hlcFromMillis(T0 + 1_000 * (i + 1)), payload: JSON.stringify(p) });
      node.receive(item, 0);
      node.advance(item.timestamp);
    });
    assert.deepEqual(
      recorded.emitted.map((m) => JSON.parse(utf8.decode(m.payload))),
      [{ n: 3 }],
    );
    assert.deepEqual(recorded.failed, []);
  });

  it('trigger datasets: `$context(alias)` reads the matched state-store record; no match skips the rule', () => {
    const triggers = {
      key: 'triggers',
      value:
        '{"type":"expression","datasets":[{"key":"limits as lim","inputs":["$source.id","$context.id"],"expression":"$1 == $2"}],' +
        '"rules":[{"inputs":["v","$context(lim).max"],"trigger":"$1 > $2","boundaryMessage":"messageInCurrent"}]}',
    };
    const { findings, builtin } = compileBuiltin(WINDOW_1_1, [triggers, SUM_RULES]);
    assert.deepEqual(findings, []);
    const recorded: Recorded = { emitted: [], dropped: [], failed: [], folded: 0 };
    const node = builtin!.instantiate(
      {
        operation: 'w',
        operator: undefined,
        out: { emit: (m) => recorded.emitted.push(m as Message), drop: () => {}, fail: (f) => recorded.failed.push(f), timed: (c) => c(), folded: () => {} },
      },
      {
        stateStoreGet: (key) => (key === 'limits' ? '{"id":"a","max":10}\n{"id":"b","max":100}\n' : undefined),
        processingTime: () => 0,
        options: DEFAULT_BUILTIN_OPTIONS,
      },
    );
    // a: limit 10; b: limit 100; c: no record, so the trigger is skipped for it.
    [
      { id: 'a', v: 5 },
      { id: 'c', v: 500 },
      { id: 'b', v: 50 },
      { id: 'a', v: 11 },
      { id: 'b', v: 101 },
    ].forEach((p, i) => {
      const item = createMessage({ timestamp: hlcFromMillis(T0 + 1_000 * (i + 1)), payload: JSON.stringify(p) });
      node.receive(item, 0);
      node.advance(item.timestamp);
    });
    assert.deepEqual(
      recorded.emitted.map((m) => JSON.parse(utf8.decode(m.payload))),
      [
        { n: 4, stats: { sum: 566 } },
        { n: 1, stats: { sum: 101 } },
      ],
    );
    assert.deepEqual(recorded.failed, []);
  });

  it('a trigger that fails drops the message and leaves the window as it was', () => {
    const triggers = { key: 'triggers', value: '{"type":"expression","rules":[{"inputs":["v"],"trigger":"$1 > 2","boundaryMessage":"messageInCurrent"}]}' };
    const { node, recorded } = run(WINDOW_1_1, [triggers, SUM_RULES]);
    assert.deepEqual(feed(node, recorded, [1, 'text', 3]), [[2, 4, T0 + 3_000]]);
    assert.equal(recorded.failed.length, 1);
    assert.match(recorded.failed[0]!.message, /message dropped: triggers\.rules\[0\]: \$1 > 2: cannot apply `>` to string/);
  });

  it('a payload that is not JSON fails the message and leaves the window as it was', () => {
    const { node, recorded } = run(WINDOW_1_1, [count(2, 'messageInCurrent'), SUM_RULES]);
    for (const [i, payload] of ['{"v":1}', 'not json', '{"v":2}'].entries()) {
      node.receive(createMessage({ timestamp: hlcFromMillis(T0 + 1_000 * (i + 1)), payload }), 0);
    }
    assert.deepEqual(
      recorded.emitted.map((m) => JSON.parse(utf8.decode(m.payload))),
      [{ n: 2, stats: { sum: 3 } }],
    );
    assert.equal(recorded.failed.length, 1);
    assert.match(recorded.failed[0]!.message, /the payload is not JSON/);
  });

  it('`? $last` in a trigger input keeps the last known value per run', () => {
    const triggers = {
      key: 'triggers',
      value: '{"type":"expression","rules":[{"inputs":["level ? $last"],"trigger":"$1 == \\"high\\"","boundaryMessage":"messageInCurrent"}]}',
    };
    const { node, recorded } = run(WINDOW_1_1, [triggers, { key: 'rules', value: '{"accumulate":[{"inputs":["v"],"output":"n","expression":"count($1)"}]}' }]);
    const payloads = [{ v: 1, level: 'low' }, { v: 2 }, { v: 3, level: 'high' }, { v: 4 }];
    payloads.forEach((p, i) => {
      const item = createMessage({ timestamp: hlcFromMillis(T0 + 1_000 * (i + 1)), payload: JSON.stringify(p) });
      node.receive(item, 0);
      node.advance(item.timestamp);
    });
    // The 4th message has no level: `? $last` gives "high" again, so it closes a window of one.
    assert.deepEqual(
      recorded.emitted.map((m) => JSON.parse(utf8.decode(m.payload))),
      [{ n: 3 }, { n: 1 }],
    );
  });
});

const WINDOW_1_0 = 'azureiotoperations/graph-dataflow-window:1.0.0';
const delay = (seconds: number) => ({ key: 'delay', value: `{"type":"duration","delaySeconds":${seconds}}` });

describe('window duration periods, late data and end of input', () => {
  it('windows are epoch-aligned with ceil: a message exactly on a boundary belongs to the window ending there', () => {
    const { node, recorded } = run(WINDOW_1_0, [delay(10), SUM_RULES]);
    for (const [ms, v] of [
      [T0 + 5_000, 1],
      [T0 + 10_000, 2],
      [T0 + 10_001, 3],
      [T0 + 19_000, 4],
      [T0 + 45_000, 5],
    ] as const) {
      const item = createMessage({ timestamp: hlcFromMillis(ms), payload: JSON.stringify({ v }) });
      node.receive(item, 0);
      node.advance(item.timestamp);
    }
    const outputs = recorded.emitted.map((m) => [JSON.parse(utf8.decode(m.payload)), hlcToMillis(m.timestamp)]);
    assert.deepEqual(outputs, [
      [{ n: 2, stats: { sum: 3 } }, T0 + 10_000],
      [{ n: 2, stats: { sum: 7 } }, T0 + 20_000],
    ]);
  });

  it('drops a late message whose window already closed, with the reason', () => {
    const { node, recorded } = run(WINDOW_1_0, [delay(10), SUM_RULES]);
    const early = createMessage({ timestamp: hlcFromMillis(T0 + 1_000), payload: '{"v":1}' });
    node.receive(early, 0);
    node.advance(hlcFromMillis(T0 + 12_000));
    node.receive(createMessage({ timestamp: hlcFromMillis(T0 + 9_000), payload: '{"v":2}' }), 0);
    assert.equal(recorded.emitted.length, 1);
    assert.equal(recorded.dropped.length, 1);
    assert.match(recorded.dropped[0]!.reason!, /^late: the window ending at .* had already closed$/);
  });

  it('holds the output frontier at the earliest open boundary', () => {
    const { node } = run(WINDOW_1_0, [delay(10), SUM_RULES]);
    node.receive(createMessage({ timestamp: hlcFromMillis(T0 + 1_000), payload: '{"v":1}' }), 0);
    assert.equal(hlcToMillis(node.advance(hlcFromMillis(T0 + 5_000))), T0 + 5_000);
    node.receive(createMessage({ timestamp: hlcFromMillis(T0 + 9_000), payload: '{"v":1}' }), 0);
    assert.equal(hlcToMillis(node.advance(hlcFromMillis(T0 + 10_000, 5, 'src'))), T0 + 10_000);
  });

  it('discards open windows at the end of input by default, and says how many messages were lost', () => {
    const { node, recorded } = run(WINDOW_1_0, [delay(10), SUM_RULES]);
    feed(node, recorded, [1, 2, 3]);
    node.advance(AFTER_ALL);
    assert.equal(recorded.emitted.length, 0);
    assert.equal(recorded.dropped.length, 1);
    assert.match(recorded.dropped[0]!.reason!, /discarded at end of input with 3 messages.*--flush-windows/);
  });

  it('emits open windows at the end of input with flushWindowsAtEnd', () => {
    const { node, recorded } = run(WINDOW_1_0, [delay(10), SUM_RULES], { flushWindowsAtEnd: true });
    feed(node, recorded, [1, 2, 3]);
    node.advance(AFTER_ALL);
    assert.deepEqual(JSON.parse(utf8.decode(recorded.emitted[0]!.payload)), { n: 3, stats: { sum: 6 } });
    assert.equal(hlcToMillis(recorded.emitted[0]!.timestamp), T0 + 10_000);
  });

  it('an aggregation error drops the whole window output with a failure naming the rule', () => {
    const rules = {
      key: 'rules',
      value:
        '{"accumulate":[{"inputs":["v"],"output":"n","expression":"count($1)"},{"inputs":["v"],"output":"avg","expression":"average($1)","description":"mean value"}]}',
    };
    const { node, recorded } = run(WINDOW_1_0, [delay(10), rules]);
    feed(node, recorded, ['a', 'b']);
    node.advance(hlcFromMillis(T0 + 10_001));
    assert.equal(recorded.emitted.length, 0);
    assert.equal(recorded.failed.length, 1);
    assert.match(recorded.failed[0]!.message, /window output dropped \(closed by duration, 2 messages\): rule "mean value": average/);
  });

  it('prints integral floats as the cluster does and keeps ints', () => {
    const rules = {
      key: 'rules',
      value: '{"accumulate":[{"inputs":["v"],"output":"max","expression":"max($1)"},{"inputs":["v"],"output":"n","expression":"count($1)"}]}',
    };
    const { node, recorded } = run(WINDOW_1_0, [delay(10), rules]);
    const item = createMessage({ timestamp: hlcFromMillis(T0 + 1_000), payload: '{"v": 23.0}' });
    node.receive(item, 0);
    node.advance(hlcFromMillis(T0 + 10_001));
    assert.equal(utf8.decode(recorded.emitted[0]!.payload), '{"max":23.0,"n":1}');
  });
});

describe('built-in artifacts', () => {
  it('recognises the six built-ins with or without a registry host', () => {
    assert.ok(isBuiltinArtifact('azureiotoperations/graph-dataflow-window:1.1.0'));
    assert.ok(isBuiltinArtifact('mcr.microsoft.com/azureiotoperations/graph-dataflow-throttle:1.0.0'));
    assert.ok(isBuiltinArtifact('azureiotoperations/graph-dataflow-concatenate:1.0.0'));
    assert.ok(!isBuiltinArtifact('azureiotoperations/graph-dataflow-sort:1.0.0'));
    assert.ok(!isBuiltinArtifact('myacr.azurecr.io/graphs/thermostat:1.0.0'));
    assert.ok(!isBuiltinArtifact('contoso/azureiotoperations/graph-dataflow-map:1.0.0/x'));
  });

  it('reports an unknown built-in and an unknown version', () => {
    const codes = (artifact: string) => compileBuiltin(artifact, []).findings.map((f) => [f.code, f.message]);
    assert.deepEqual(codes('azureiotoperations/graph-dataflow-sort:1.0.0'), [
      ['AIO_BUILTIN_UNKNOWN_ARTIFACT', 'azureiotoperations/graph-dataflow-sort:1.0.0 is not a built-in transform'],
    ]);
    assert.deepEqual(codes('azureiotoperations/graph-dataflow-throttle:2.0.0'), [
      ['AIO_BUILTIN_UNKNOWN_VERSION', 'azureiotoperations/graph-dataflow-throttle has no version 2.0.0'],
    ]);
    assert.deepEqual(codes('azureiotoperations/graph-dataflow-window'), [
      ['AIO_BUILTIN_UNKNOWN_VERSION', 'azureiotoperations/graph-dataflow-window has no version tag'],
    ]);
  });
});

/** [code, key, the text at the finding's offset] for every finding. */
function findingsOf(artifact: string, configuration: ConfigurationEntry[]): Array<[string, string | undefined, string | undefined]> {
  return compileBuiltin(artifact, configuration).findings.map((f) => {
    const value = configuration.find((e) => e.key === f.key)?.value;
    return [f.code, f.key, f.offset === undefined || value === undefined ? undefined : value.slice(f.offset, f.offset + 12)];
  });
}

describe('window and throttle configuration findings', () => {
  it('1.0.0 refuses the 1.1.0 conditions and needs a delay', () => {
    assert.deepEqual(findingsOf(WINDOW_1_0, [count(5, 'messageInCurrent'), SUM_RULES]), [
      ['AIO_BUILTIN_WINDOW_REQUIRES_1_1_0', 'count', undefined],
      ['AIO_BUILTIN_MISSING_KEY', undefined, undefined],
    ]);
  });

  it('1.1.0 needs at least one condition, and rules', () => {
    assert.deepEqual(findingsOf(WINDOW_1_1, []), [
      ['AIO_BUILTIN_WINDOW_NO_CONDITION', undefined, undefined],
      ['AIO_BUILTIN_MISSING_KEY', undefined, undefined],
    ]);
  });

  it('checks condition types, limits and boundaryMessage at their offsets', () => {
    const configuration = [
      { key: 'delay', value: '{"type":"durations","delaySeconds":10}' },
      { key: 'count', value: '{"type":"messageCount","maxMessageCount":0,"boundaryMessage":"messageInCurent"}' },
      { key: 'memory', value: '{"type":"bufferSize","maxBufferBytes":1.5,"boundaryMessage":"messageInNext"}' },
      { key: 'rules', value: '{"accumulate":[]}' },
    ];
    assert.deepEqual(findingsOf(WINDOW_1_1, configuration), [
      ['AIO_BUILTIN_CONDITION_TYPE', 'delay', '"durations",'],
      ['AIO_BUILTIN_INVALID_LIMIT', 'count', '0,"boundaryM'],
      ['AIO_BUILTIN_BOUNDARY_MESSAGE', 'count', '"messageInCu'],
      ['AIO_BUILTIN_WRONG_TYPE', 'memory', '1.5,"boundar'],
      ['AIO_BUILTIN_WINDOW_NO_RULES', 'rules', '[]}'],
    ]);
  });

  it('checks accumulate rules: inputs, outputs, expressions (offsets inside escaped strings)', () => {
    const rules = {
      key: 'rules',
      value:
        '{"accumulate":[' +
        '{"inputs":["$metadata.topic"],"output":"a","expression":"count($1)"},' +
        '{"inputs":["t ?? 0"],"output":"b","expression":"count($1)"},' +
        '{"inputs":["t"],"output":"c","expression":"average($1) + \\"x\\" * nosuch($1)"},' +
        '{"inputs":["t"],"output":"c","expression":"max($1)"},' +
        '{"inputs":["t"],"output":"d.e","expression":"min($1)","extra":1},' +
        '{"inputs":["t"],"output":"$metadata.topic","expression":"min($1)"}]}',
    };
    const found = findingsOf(WINDOW_1_0, [delay(10), rules]);
    assert.deepEqual(found[0], ['AIO_BUILTIN_WINDOW_INPUT', 'rules', '"$metadata.t']);
    assert.deepEqual(found[1], ['AIO_BUILTIN_WINDOW_INPUT', 'rules', '"t ?? 0"],"o']);
    // The expression's problem points into the JSON string, after the escaped quotes.
    const expression = found.find(([, , at]) => at?.startsWith('nosuch'));
    assert.ok(expression, JSON.stringify(found));
    assert.ok(found.some(([code, , at]) => code === 'AIO_BUILTIN_DUPLICATE_OUTPUT' && at === '"c","express'));
    assert.ok(found.some(([code, , at]) => code === 'AIO_BUILTIN_UNKNOWN_MEMBER' && at === '"extra":1},{'));
    assert.ok(found.some(([code, , at]) => code === 'AIO_BUILTIN_OUTPUT_PATH' && at === '"$metadata.t'));
  });

  it('checks trigger inputs against the trigger datasets', () => {
    const triggers = {
      key: 'triggers',
      value: '{"type":"expression","rules":[{"inputs":["$context(p).x"],"trigger":"prev($1) > 1","boundaryMessage":"messageInNext"}]}',
    };
    assert.deepEqual(findingsOf(WINDOW_1_1, [triggers, SUM_RULES]), [['AIO_BUILTIN_UNKNOWN_ALIAS', 'triggers', '$context(p).']]);
  });

  it('throttle: invalid patterns, duplicates and rates fail at compile, at their offsets', () => {
    const throttle = {
      key: 'throttle',
      value:
        '{"perTopicThrottles":[{"topic":"a/#/b","maxMessagesPerSecond":1},{"topic":"s/+","maxMessagesPerSecond":-1},' +
        '{"topic":"s/+","maxMessagesPerSecond":2},{"topic":"x+","maxMessagesPerSecond":"1"},{"topic":""}]}',
    };
    assert.deepEqual(findingsOf('azureiotoperations/graph-dataflow-throttle:1.0.0', [throttle]), [
      ['AIO_BUILTIN_THROTTLE_TOPIC', 'throttle', '"a/#/b","max'],
      ['AIO_BUILTIN_THROTTLE_RATE', 'throttle', '-1},{"topic"'],
      ['AIO_BUILTIN_THROTTLE_DUPLICATE_TOPIC', 'throttle', '"s/+","maxMe'],
      ['AIO_BUILTIN_WRONG_TYPE', 'throttle', '"1"},{"topic'],
      ['AIO_BUILTIN_MISSING_MEMBER', 'throttle', '{"topic":""}'],
    ]);
    assert.deepEqual(findingsOf('azureiotoperations/graph-dataflow-throttle:1.0.0', [{ key: 'rules', value: '{}' }]), [
      ['AIO_BUILTIN_UNKNOWN_KEY', 'rules', undefined],
      ['AIO_BUILTIN_MISSING_KEY', undefined, undefined],
    ]);
  });

  it('concatenate ignores a configuration with a warning', () => {
    const { findings, builtin } = compileBuiltin('azureiotoperations/graph-dataflow-concatenate:1.0.0', [{ key: 'rules', value: '{}' }]);
    assert.ok(builtin);
    assert.deepEqual(
      findings.map((f) => [f.severity, f.code, f.key]),
      [['warning', 'AIO_BUILTIN_CONFIGURATION_IGNORED', 'rules']],
    );
  });
});
