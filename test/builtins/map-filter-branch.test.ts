/**
 * The map, filter and branch built-ins as engine nodes: every example of builtin-examples.json for them (under
 * the reading that gives `expected`, and the other mapOverlap reading giving `alternativeExpected`), behaviour the
 * docs describe without an example, run-time failures, and configuration findings at their character.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuiltinOptions, ConfigurationEntry } from '../../src/builtins/builtin-transform.js';
import { assertClose, assertEmitted, BUILTIN_EXAMPLES, findingsOf, runBuiltin, utf8, type Example } from '../helpers/builtin-node.js';

const MAP = 'azureiotoperations/graph-dataflow-map:1.0.0';
const FILTER = 'azureiotoperations/graph-dataflow-filter:1.0.0';
const BRANCH = 'azureiotoperations/graph-dataflow-branch:1.0.0';

/** Examples whose `expected` is the input-based specialization reading (EXPR's PressureAdj claim); all others: copy. */
const EXPECTED_UNDER_MOVE = new Set(['ex07-map-wildcard-override-specific']);

type Overlap = BuiltinOptions['mapOverlap'];

function runExample(example: Example, mapOverlap: Overlap) {
  const store = example.stateStore ?? {};
  const run = runBuiltin(example.artifact, example.configuration, { stateStoreGet: (key) => store[key], options: { mapOverlap } });
  const fates = example.input.map((input) => {
    const caused = run.send(input.payload, input.topic);
    return caused.emitted.length > 0 ? 'forwarded' : 'dropped';
  });
  return { ...run, fates };
}

describe('built-in examples: map, filter, branch', () => {
  const examples = BUILTIN_EXAMPLES.filter((e) => ['map', 'filter', 'branch'].includes(e.transform));

  it('covers every map, filter and branch example of the file', () => {
    assert.equal(examples.length, 26);
  });

  for (const example of examples) {
    it(example.id, () => {
      const reading: Overlap = EXPECTED_UNDER_MOVE.has(example.id) ? 'move' : 'copy';
      const run = runExample(example, reading);
      if (example.expected === 'dropped') {
        assert.equal(run.recorded.emitted.length, 0);
        // The docs: an erroring message is dropped and an error logged, not dropped silently.
        assert.equal(run.recorded.failed.length, example.input.length);
      } else {
        assertEmitted(run.recorded.emitted, example.expected);
        assert.deepEqual(run.recorded.failed, []);
      }
      if (example.perInput) assert.deepEqual(run.fates, example.perInput);
      if (example.alternativeExpected) {
        const other = runExample(example, reading === 'copy' ? 'move' : 'copy');
        assertEmitted(other.recorded.emitted, example.alternativeExpected);
      }
    });
  }
});

const rules = (value: unknown): ConfigurationEntry[] => [{ key: 'rules', value: typeof value === 'string' ? value : JSON.stringify(value) }];
const payloadOf = (run: { recorded: { emitted: Array<{ message: { payload: Uint8Array } }> } }, index = 0): unknown =>
  JSON.parse(utf8.decode(run.recorded.emitted[index]!.message.payload));

describe('map', () => {
  it('keeps floats as floats: 7.0 / 2 is 3.5, and a Float result prints with .0', () => {
    const run = runBuiltin(
      MAP,
      rules({
        map: [
          { inputs: ['v'], output: 'half', expression: '$1 / 2' },
          { inputs: ['c'], output: 'f', expression: 'cToF($1)' },
        ],
      }),
    );
    run.send('{"v": 7.0, "c": 100}');
    run.send('{"v": 7, "c": 0}');
    assert.equal(utf8.decode(run.recorded.emitted[0]!.message.payload), '{"half":3.5,"f":212.0}');
    assert.equal(utf8.decode(run.recorded.emitted[1]!.message.payload), '{"half":3,"f":32.0}');
  });

  it('writes $metadata.topic (marking it written) and replaces, appends and removes user properties', () => {
    const run = runBuiltin(
      MAP,
      rules({
        map: [
          { inputs: ['*'], output: '*' },
          { inputs: ['site', 'line'], output: '$metadata.topic', expression: '$1 + "/" + $2' },
          { inputs: ['region'], output: '$metadata.user_property.region' },
          { inputs: ['count'], output: '$metadata.user_property.count' },
          { inputs: [], output: '$metadata.user_property.drop', expression: '()' },
        ],
      }),
    );
    const caused = run.send({ site: 'plant', line: 7, region: 'west', count: 3 }, 'in/topic', [
      ['region', 'east'],
      ['drop', 'a'],
      ['keep', 'b'],
      ['drop', 'c'],
    ]);
    const out = caused.emitted[0]!.message;
    assert.equal(utf8.decode(out.topic), 'plant/7');
    assert.equal(out.topicWritten, true);
    assert.deepEqual(out.userProperties, [
      ['region', 'west'],
      ['keep', 'b'],
      ['count', '3'],
    ]);
    // A map that does not write the topic leaves it, unmarked.
    const plain = runBuiltin(MAP, rules({ map: [{ inputs: ['$metadata.topic'], output: 't' }] })).send({}, 'a/b').emitted[0]!.message;
    assert.equal(utf8.decode(plain.topic), 'a/b');
    assert.equal(plain.topicWritten, undefined);
    assert.deepEqual(JSON.parse(utf8.decode(plain.payload)), { t: 'a/b' });
  });

  it('remembers last-known values per rule input and binds a missing input to Empty', () => {
    const run = runBuiltin(
      MAP,
      rules({
        map: [
          { inputs: ['t ? $last'], output: 'a' },
          { inputs: ['t ? $last', 'h'], output: 'b', expression: 'if($2 == (), $1, $1 * $2)' },
          { inputs: ['missing'], output: 'c' },
        ],
      }),
    );
    run.send({ h: 2 });
    run.send({ t: 5 });
    run.send({ h: 3 });
    assert.deepEqual(
      run.recorded.emitted.map((_, i) => payloadOf(run, i)),
      [
        { a: 5, b: 5 },
        { a: 5, b: 15 },
      ],
    );
    assert.equal(run.recorded.failed.length, 1, 'the first message: $1 is Empty in $1 * $2');
    assert.match(run.recorded.failed[0]!.detail, /^rule 2: cannot multiply Empty \(\) and int 2/);
  });

  it('drops the whole message when a rule fails, naming the rule and its description', () => {
    const run = runBuiltin(
      MAP,
      rules({
        map: [
          { inputs: ['*'], output: '*' },
          { inputs: ['a'], output: 'b', expression: '$1 + 1', description: 'Add one' },
        ],
      }),
    );
    const caused = run.send({ a: true });
    assert.equal(caused.emitted.length, 0);
    assert.equal(caused.failed.length, 1);
    assert.equal(caused.failed[0]!.operation, 'node');
    assert.match(caused.failed[0]!.message, /rule 2 \(Add one\): cannot add boolean true and int 1/);
    assert.match(run.send('not json').failed[0]!.detail, /payload is not JSON/);
    assert.match(
      runBuiltin(
        MAP,
        rules({
          map: [
            { inputs: ['a'], output: 'a.b' },
            { inputs: ['a'], output: 'a.b.c' },
          ],
        }),
      ).send({ a: 1 }).failed[0]!.detail,
      /already holds a value/,
    );
  });

  it('resolves wildcards in the middle and in front, deep captures, and passes arrays and nulls through', () => {
    const run = runBuiltin(
      MAP,
      rules({
        map: [
          { inputs: ['*'], output: 'copy.*' },
          { inputs: ['Sensors.*.Reading'], output: 'flat.*' },
        ],
      }),
    );
    run.send({ Sensors: { A: { Reading: 1, Unit: 'C' }, B: { Reading: [1, 2] } }, n: null, e: {} });
    assert.deepEqual(payloadOf(run), {
      copy: { Sensors: { A: { Reading: 1, Unit: 'C' }, B: { Reading: [1, 2] } }, n: null, e: {} },
      flat: { A: 1, B: [1, 2] },
    });
  });

  it('removes a whole object named by a removal rule, but not what a specific rule wrote below it', () => {
    const payload = { device: { id: 1, fw: 'a' }, t: 1 };
    const whole = runBuiltin(
      MAP,
      rules({
        map: [
          { inputs: ['*'], output: '*' },
          { inputs: ['device'], output: '' },
        ],
      }),
    );
    whole.send(payload);
    assert.deepEqual(payloadOf(whole), { t: 1 });
    const patched = runBuiltin(
      MAP,
      rules({
        map: [
          { inputs: ['*'], output: '*' },
          { inputs: ['t'], output: 'device.id', expression: '$1 + 100' },
          { inputs: ['device'], output: '' },
        ],
      }),
    );
    patched.send(payload);
    assert.deepEqual(payloadOf(patched), { device: { id: 101 }, t: 1 });
  });

  it('copies objects rather than sharing them, so a later write below a copy leaves the input alone', () => {
    const run = runBuiltin(
      MAP,
      rules({
        map: [
          { inputs: ['S'], output: 'T' },
          { inputs: ['x'], output: 'T.y' },
          { inputs: ['S'], output: 'U' },
        ],
      }),
    );
    run.send({ S: { a: 1 }, x: 2 });
    assert.deepEqual(payloadOf(run), { T: { a: 1, y: 2 }, U: { a: 1 } });
  });

  it('hands a Float to the next built-in as a Float, whether it reads the written object or parses the text', () => {
    const filter = runBuiltin(FILTER, rules({ filter: [{ inputs: ['f'], expression: '$1 == 32.0 && typeof($1) == "float"' }] }));
    const map = runBuiltin(MAP, rules({ map: [{ inputs: ['c'], output: 'f', expression: 'cToF($1)' }] }));
    const out = map.send({ c: 0 }).emitted[0]!.message;
    assert.equal(utf8.decode(out.payload), '{"f":32.0}');
    // The object the map encoded last (read without parsing) …
    filter.node.receive(out, 0);
    // … and the same bytes parsed anew (a copy of the payload is not the object the map wrote).
    filter.node.receive({ ...out, payload: Uint8Array.from(out.payload) }, 0);
    assert.deepEqual(
      filter.recorded.dropped.map((d) => d.reason),
      ['filter rule 1 is true', 'filter rule 1 is true'],
    );
  });

  it('removes with a wildcard removal rule and prunes the objects it empties', () => {
    const run = runBuiltin(
      MAP,
      rules({
        map: [
          { inputs: ['*'], output: '*' },
          { inputs: ['secret.*'], output: '' },
        ],
      }),
    );
    run.send({ secret: { a: 1, b: { c: 2 } }, keep: 1 });
    assert.deepEqual(payloadOf(run), { keep: 1 });
  });

  it('reads datasets through a cache that follows the stored text', () => {
    const store: Record<string, string> = { devices: '{"id": "d1", "name": "one"}' };
    let reads = 0;
    const run = runBuiltin(
      MAP,
      rules({
        datasets: [{ key: 'devices as d', inputs: ['$source.id', '$context.id'], expression: '$1 == $2' }],
        map: [{ inputs: ['$context(d).name'], output: 'name' }],
      }),
      {
        stateStoreGet: (key) => {
          reads++;
          return store[key];
        },
      },
    );
    run.send({ id: 'd1' });
    store.devices = 'not json\n{"id": "d1", "name": "renamed"}\n[1]';
    run.send({ id: 'd1' });
    delete store.devices;
    run.send({ id: 'd1' });
    assert.deepEqual(
      run.recorded.emitted.map((_, i) => payloadOf(run, i)),
      [{ name: 'one' }, { name: 'renamed' }, {}],
    );
    assert.equal(reads, 3);
    const unreachable = runBuiltin(
      MAP,
      rules({ datasets: [{ key: 'k', inputs: ['$source.a', '$context.a'], expression: '$1 == $2' }], map: [{ inputs: ['$context(k).a'], output: 'a' }] }),
      {
        stateStoreGet: () => {
          throw new Error('connection refused');
        },
      },
    );
    assert.match(unreachable.send({ a: 1 }).failed[0]!.detail, /state store cannot be read for dataset key k: connection refused/);
  });
});

describe('filter and branch', () => {
  it('drops on the first true rule with a reason naming it, and passes the message unchanged otherwise', () => {
    const run = runBuiltin(
      FILTER,
      rules({
        filter: [
          { inputs: ['t'], expression: '$1 > 100', description: 'Too hot' },
          { inputs: ['$metadata.user_property.quality'], expression: '$1 == "bad"' },
        ],
      }),
    );
    const hot = run.send({ t: 150 });
    assert.equal(hot.dropped[0]!.reason, 'filter rule 1 (Too hot) is true');
    const bad = run.send({ t: 1 }, 'x', [['quality', 'bad']]);
    assert.equal(bad.dropped[0]!.reason, 'filter rule 2 is true');
    const fine = run.send('{"t": 1.0}', 'x', [['quality', 'good']]);
    assert.equal(utf8.decode(fine.emitted[0]!.message.payload), '{"t": 1.0}');
    assert.deepEqual(fine.emitted[0]!.message.userProperties, [['quality', 'good']]);
    assert.match(run.send({}).failed[0]!.detail, /^rule 1 \(Too hot\): input \$1 \(t\) is missing from the message/);
  });

  it('uses defaults and counts a rule whose dataset matched nothing as false', () => {
    const run = runBuiltin(
      FILTER,
      rules({
        datasets: [{ key: 'limits', inputs: ['$source.id', '$context.id'], expression: '$1 == $2' }],
        filter: [
          { inputs: ['v ?? 0', '$context(limits).max'], expression: '$1 > $2' },
          { inputs: ['v ?? 0'], expression: '$1 < 0' },
        ],
      }),
      { stateStoreGet: () => '{"id": "a", "max": 10}' },
    );
    assert.equal(run.send({ id: 'a', v: 11 }).dropped.length, 1);
    assert.equal(run.send({ id: 'b', v: 11 }).emitted.length, 1);
    assert.equal(run.send({ id: 'a' }).emitted.length, 1);
  });

  it('validates the schema first when validateSchema is true', () => {
    const config = rules({ validateSchema: true, filter: [] });
    const run = runBuiltin(FILTER, config, {
      validateSchema: (payload) => (typeof (payload as { t?: unknown }).t === 'number' ? undefined : '/t must be a number'),
    });
    assert.equal(run.send({ t: 1 }).emitted.length, 1);
    assert.equal(run.send({ t: 'x' }).dropped[0]!.reason, 'validateSchema: the payload does not match the schema: /t must be a number');
    const without = runBuiltin(FILTER, config);
    assert.match(without.send({ t: 1 }).failed[0]!.detail, /names no schema/);
  });

  it('branches unchanged messages by arm and fails non-boolean results and unmatched datasets', () => {
    const run = runBuiltin(BRANCH, rules({ branch: { inputs: ['s'], expression: 'if($1 > 5, true, $1)', description: 'Severity' } }));
    assert.equal(run.send({ s: 7 }).emitted[0]!.arm, 'True');
    assert.equal(run.send({ s: 5.5 }).emitted[0]!.arm, 'True');
    const failed = run.send({ s: 3 }).failed[0]!;
    assert.match(failed.detail, /^branch rule \(Severity\): the expression gave int 3, not a boolean/);
    const enriched = runBuiltin(
      BRANCH,
      rules({ datasets: [{ key: 'k', inputs: ['$source.a', '$context.a'], expression: '$1 == $2' }], branch: { inputs: ['$context(k).b'], expression: '$1' } }),
    );
    assert.match(enriched.send({ a: 1 }).failed[0]!.detail, /matched no record/);
  });
});

describe('configuration findings', () => {
  /** The one error of a configuration: its code and the text at its offset in the value. */
  function error(artifact: string, value: string): { code: string; at: string; message: string; hint: string | undefined } {
    const errors = findingsOf(artifact, rules(value)).filter((f) => f.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    const [found] = errors;
    return { code: found!.code, at: value.slice(found!.offset!, found!.offset! + 6), message: found!.message, hint: found!.hint };
  }

  it('places expression problems inside escaped JSON strings', () => {
    const value = '{"map":[{"inputs":["a","b"],"output":"x","expression":"\\"\\\\\\"q\\" + $1 + $7"}]}';
    const found = error(MAP, value);
    assert.equal(found.code, 'AIO_BUILTIN_EXPR_INPUT_RANGE');
    assert.equal(found.at.slice(0, 2), '$7');
    assert.match(found.message, /^rules\.map\[0\]\.expression: \$7 does not name an input: the rule has 2 inputs/);
    assert.deepEqual(error(FILTER, '{"filter":[{"inputs":["t"],"expression":"cTof($1) > 3"}]}').at, 'cTof($');
    assert.equal(error(FILTER, '{"filter":[{"inputs":["t"],"expression":"cTof($1) > 3"}]}').hint, 'did you mean "cToF"?');
    const aggregation = error(MAP, '{"map":[{"inputs":["t"],"output":"x","expression":"average($1)"}]}');
    assert.deepEqual([aggregation.code, aggregation.at], ['AIO_BUILTIN_EXPR_AGGREGATION_PLACE', 'averag']);
    const and = error(BRANCH, '{"branch":{"inputs":["a","b"],"expression":"$1 and $2"}}');
    assert.deepEqual([and.code, and.at], ['AIO_BUILTIN_EXPR_UNSUPPORTED', 'and $2']);
  });

  it('places path and input problems', () => {
    const wildcard = error(FILTER, '{"filter":[{"inputs":["Sensors.*"],"expression":"$1 > 3"}]}');
    assert.deepEqual([wildcard.code, wildcard.at], ['AIO_BUILTIN_PATH_WILDCARD', '*"],"e']);
    assert.deepEqual(error(MAP, '{"map":[{"inputs":["a..b"],"output":"x"}]}').code, 'AIO_BUILTIN_PATH_SYNTAX');
    assert.deepEqual(error(MAP, '{"map":[{"inputs":["t ?? nope"],"output":"x"}]}').at, '?? nop');
    const source = error(FILTER, '{"filter":[{"inputs":["$source.a"],"expression":"$1"}]}');
    assert.deepEqual([source.code, source.at], ['AIO_BUILTIN_INPUT_PLACE', '$sourc']);
    const alias = error(MAP, '{"map":[{"inputs":["$context(dev).a"],"output":"x"}]}');
    assert.deepEqual([alias.code, alias.at], ['AIO_BUILTIN_UNKNOWN_ALIAS', '$conte']);
    assert.match(alias.message, /no datasets are defined/);
    assert.equal(error(MAP, '{"datasets":[{"key":"k as ","inputs":[],"expression":"true"}],"map":[]}').code, 'AIO_BUILTIN_DATASET_KEY');
    assert.equal(error(MAP, '{"datasets":[{"key":"k","inputs":["deviceId"],"expression":"true"}],"map":[]}').code, 'AIO_BUILTIN_INPUT_PLACE');
  });

  it('checks map rules: wildcards, removals, outputs', () => {
    const cases: Array<[string, string, string]> = [
      ['{"map":[{"inputs":["a"],"output":"b.*"}]}', 'AIO_BUILTIN_MAP_WILDCARD', 'b.*"}]'],
      ['{"map":[{"inputs":["a.*"],"output":"b"}]}', 'AIO_BUILTIN_MAP_WILDCARD', 'b"}]}'],
      ['{"map":[{"inputs":["a","b.*"],"output":"c.*"}]}', 'AIO_BUILTIN_MAP_WILDCARD', 'b.*"],'],
      ['{"map":[{"inputs":["a.* ?? 1"],"output":"c.*"}]}', 'AIO_BUILTIN_MAP_WILDCARD', 'a.* ??'],
      ['{"map":[{"inputs":["a"],"output":"a"},{"inputs":["*"],"output":"*"}]}', 'AIO_BUILTIN_MAP_PASSTHROUGH_NOT_FIRST', '*"],"o'],
      ['{"map":[{"inputs":["a"],"output":"","expression":"1"}]}', 'AIO_BUILTIN_MAP_REMOVAL_EXPRESSION', '"1"}]}'],
      ['{"map":[{"inputs":["a"],"output":"$metadata.system_property.content_type"}]}', 'AIO_BUILTIN_MAP_OUTPUT', '$metad'],
      ['{"map":[{"inputs":[],"output":"a"}]}', 'AIO_BUILTIN_MAP_NO_VALUE', '[],"ou'],
      ['{"map":[{"inputs":["a"],"output":"$metadata.nope"}]}', 'AIO_BUILTIN_PATH_METADATA', '$metad'],
    ];
    for (const [value, code, at] of cases) assert.deepEqual([error(MAP, value).code, error(MAP, value).at], [code, at], value);
    const several = findingsOf(MAP, rules('{"map":[{"inputs":["a.*"],"output":"*"},{"inputs":["b.*"],"output":"*"}]}'));
    assert.deepEqual(
      several.map((f) => [f.code, f.severity, f.offset]),
      [['AIO_BUILTIN_MAP_SEVERAL_WILDCARDS', 'warning', 40]],
    );
  });

  it('reports shape problems through the shared reader', () => {
    assert.equal(error(BRANCH, '{"branch":[{"inputs":["a"],"expression":"$1"}]}').code, 'AIO_BUILTIN_WRONG_TYPE');
    assert.equal(error(FILTER, '{"filter":[{"inputs":["a"]}]}').code, 'AIO_BUILTIN_MISSING_MEMBER');
    assert.equal(error(MAP, '{"map":[{"inputs":["a"],"output":"b","expresion":"$1"}]}').code, 'AIO_BUILTIN_UNKNOWN_MEMBER');
    assert.equal(error(MAP, '{"map":[').code, 'AIO_BUILTIN_JSON_SYNTAX');
    assert.deepEqual(findingsOf(FILTER, rules('{"version":"1.0.0","validateSchema":true,"filter":[]}')), []);
  });

  it('keeps warnings without failing the node', () => {
    const run = runBuiltin(MAP, rules({ map: [{ inputs: ['a'], output: 'b', expression: '-$1 ^ 2' }] }));
    assert.deepEqual(
      run.findings.map((f) => f.code),
      ['AIO_BUILTIN_EXPR_PRECEDENCE'],
    );
    assertClose(payloadOf({ recorded: { emitted: run.send({ a: 3 }).emitted } }), { b: 9 });
  });
});
