/**
 * Running one built-in transform as an engine node over a recording NodeContext (emit / drop / fail collected),
 * and comparing its JSON output the way the docs' examples need (numbers with relative tolerance 1e-9).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_BUILTIN_OPTIONS,
  type BuiltinFinding,
  type BuiltinOptions,
  type BuiltinServices,
  type ConfigurationEntry,
} from '../../src/builtins/builtin-transform.js';
import { compileBuiltin } from '../../src/builtins/transforms/index.js';
import type { Arm } from '../../src/graph/model.js';
import { hlcFromMillis } from '../../src/engine/hlc.js';
import { createMessage, type Item, type Message } from '../../src/engine/message.js';
import type { GraphNode, NodeContext } from '../../src/engine/operators.js';
import type { OperatorFailure } from '../../src/engine/operator-failure.js';

export interface ExampleMessage {
  topic?: string;
  payload: unknown;
  userProperties?: Record<string, string>;
  output?: string;
}

export interface Example {
  id: string;
  transform: string;
  artifact: string;
  configuration: ConfigurationEntry[];
  stateStore?: Record<string, string>;
  input: ExampleMessage[];
  expected: ExampleMessage[] | 'dropped';
  alternativeExpected?: ExampleMessage[];
  perInput?: Array<'forwarded' | 'dropped'>;
}

export const BUILTIN_EXAMPLES = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/builtins/builtin-examples.json', import.meta.url), 'utf8'),
) as Example[];

export const utf8 = new TextDecoder();

/** What a node did, in order. */
export interface Recorded {
  emitted: Array<{ message: Message; arm: Arm | undefined }>;
  dropped: Array<{ item: Item; reason: string | undefined }>;
  failed: OperatorFailure[];
}

export interface NodeRun {
  node: GraphNode;
  recorded: Recorded;
  findings: BuiltinFinding[];
  /** Sends a message (payload as JSON unless a string) and returns what it caused. */
  send(payload: unknown, topic?: string, userProperties?: Array<[string, string]>): Recorded;
}

/** Compiles (expecting no errors) and instantiates a built-in; `services` overrides the defaults. */
export function runBuiltin(
  artifact: string,
  configuration: ConfigurationEntry[],
  services: Partial<Omit<BuiltinServices, 'options'>> & { options?: Partial<BuiltinOptions> } = {},
): NodeRun {
  const { findings, builtin } = compileBuiltin(artifact, configuration);
  assert.deepEqual(
    findings.filter((f) => f.severity === 'error'),
    [],
  );
  assert.ok(builtin);
  const recorded: Recorded = { emitted: [], dropped: [], failed: [] };
  const context: NodeContext = {
    operation: 'node',
    operator: undefined,
    out: {
      emit: (item, arm) => recorded.emitted.push({ message: item as Message, arm }),
      drop: (item, reason) => recorded.dropped.push({ item, reason }),
      fail: (failure) => recorded.failed.push(failure),
      timed: (call) => call(),
      folded: () => undefined,
    },
  };
  const node = builtin.instantiate(context, {
    stateStoreGet: services.stateStoreGet ?? (() => undefined),
    processingTime: services.processingTime ?? (() => 0),
    ...(services.validateSchema ? { validateSchema: services.validateSchema } : {}),
    options: { ...DEFAULT_BUILTIN_OPTIONS, ...services.options },
  });
  let sequence = 0;
  return {
    node,
    recorded,
    findings,
    send(payload, topic = 'telemetry/sensors', userProperties = []) {
      const before = { emitted: recorded.emitted.length, dropped: recorded.dropped.length, failed: recorded.failed.length };
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      node.receive(createMessage({ timestamp: hlcFromMillis(1_000 + sequence++), topic, payload: text, userProperties }), 0);
      return { emitted: recorded.emitted.slice(before.emitted), dropped: recorded.dropped.slice(before.dropped), failed: recorded.failed.slice(before.failed) };
    },
  };
}

/** Only the findings of a configuration, errors and warnings. */
export function findingsOf(artifact: string, configuration: ConfigurationEntry[]): BuiltinFinding[] {
  return compileBuiltin(artifact, configuration).findings;
}

/** Equal JSON, numbers compared with relative tolerance 1e-9 (the docs round, e.g. 3.2 for 3.1999999999999993). */
export function assertClose(actual: unknown, expected: unknown, where = '$'): void {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${where}: ${JSON.stringify(actual)} is not a number`);
    const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
    assert.ok(Math.abs((actual as number) - expected) <= tolerance, `${where}: ${String(actual)} ≠ ${expected}`);
  } else if (typeof expected === 'object' && expected !== null) {
    assert.equal(typeof actual, 'object', `${where}: ${JSON.stringify(actual)}`);
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(expected).sort(), `${where}: members of ${JSON.stringify(actual)}`);
    for (const [key, value] of Object.entries(expected)) assertClose((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
  } else {
    assert.equal(actual, expected, where);
  }
}

/** The emitted messages against an example's expected list (payload, topic, user properties, branch arm). */
export function assertEmitted(actual: Recorded['emitted'], expected: ExampleMessage[]): void {
  assert.equal(actual.length, expected.length, `outputs: ${actual.map((e) => utf8.decode(e.message.payload)).join(' | ')}`);
  expected.forEach((want, i) => {
    const { message, arm } = actual[i]!;
    assertClose(JSON.parse(utf8.decode(message.payload)), want.payload, `output ${i}`);
    if (want.topic !== undefined) assert.equal(utf8.decode(message.topic), want.topic, `output ${i} topic`);
    if (want.userProperties !== undefined) assert.deepEqual(Object.fromEntries(message.userProperties), want.userProperties, `output ${i} user properties`);
    if (want.output !== undefined) assert.equal(arm, want.output === 'output.true' ? 'True' : 'False', `output ${i} arm`);
  });
}
