/**
 * Unit tests for operators in plain Node (`aio-graph-cli/sdk/testing`): the operator runs with an in-memory host
 * that records logs and metrics and keeps a state store, the same services the component gets from `aio emulate`.
 *
 *   const harness = testOperator(map, { config: { factor: '2' } });
 *   const out = harness.map(Message.of({ json: { value: 1 } }));
 *   assert.deepEqual(out.json(), { value: 2 });
 */
import { setHost, setLogContext, type Host, type Labels, type LogLevel, type Schema } from './host.js';
import { Message, type MessageUpdate, type Timestamp } from './message.js';
import type { Operator, OperatorKind } from './operators.js';
import { asMessage, runInit } from './bind.js';
import { utf8Decode, utf8Encode } from './utf8.js';

export interface LogEntry {
  level: LogLevel;
  context: string;
  message: string;
}

export interface MetricEntry {
  kind: 'counter' | 'histogram';
  name: string;
  value: number;
  labels: Labels | undefined;
}

export interface TestOptions {
  /** The operation's parameters, as `moduleConfigurations` would give them. */
  config?: Record<string, string>;
  /** State store contents before the first call (text values). */
  state?: Record<string, string>;
  /** Schemas the schema registry answers with, by `<id>@<version>`. */
  schemas?: Record<string, Schema>;
}

/** An operator under test, its host's records, and one call per kind. */
export class OperatorHarness {
  readonly logs: LogEntry[] = [];
  readonly metrics: MetricEntry[] = [];
  /** The state store, text keys to text values. */
  readonly state = new Map<string, string>();
  /** What `init` returned (false: the host would refuse to start the graph). */
  readonly initialized: boolean;
  private readonly host: Host;

  constructor(
    private readonly operator: Operator,
    options: TestOptions = {},
  ) {
    for (const [key, value] of Object.entries(options.state ?? {})) this.state.set(key, value);
    const schemas = options.schemas ?? {};
    this.host = {
      log: (level, context, message) => void this.logs.push({ level, context, message }),
      addToCounter: (name, value, labels) => void this.metrics.push({ kind: 'counter', name, value, labels }),
      recordToHistogram: (name, value, labels) => void this.metrics.push({ kind: 'histogram', name, value, labels }),
      stateGet: (key) => {
        const value = this.state.get(utf8Decode(key));
        return value === undefined ? undefined : utf8Encode(value);
      },
      stateSet: (key, value, setOptions) => {
        const name = utf8Decode(key);
        if (setOptions.ifAbsent && this.state.has(name)) return false;
        this.state.set(name, utf8Decode(value));
        return true;
      },
      stateDelete: (key) => (this.state.delete(utf8Decode(key)) ? 1 : 0),
      schemaGet: (id, version) => {
        const schema = schemas[`${id}@${version}`];
        if (schema === undefined) throw new Error(`schema ${id}@${version} not found`);
        return schema;
      },
    };
    this.initialized = this.within(() => runInit(operator, options.config ?? {}));
  }

  map(message: Message | MessageUpdate): Message {
    const input = toMessage(message);
    return this.within(() => asMessage(input, (this.expect('map') as Operator<'map'>).process(input)));
  }

  filter(message: Message | MessageUpdate): boolean {
    return this.within(() => (this.expect('filter') as Operator<'filter'>).process(toMessage(message)));
  }

  branch(message: Message | MessageUpdate): boolean {
    const input = toMessage(message);
    return this.within(() => (this.expect('branch') as Operator<'branch'>).process(input, input.timestamp));
  }

  accumulate(staged: Message | MessageUpdate | undefined, batch: Array<Message | MessageUpdate>): Message {
    const stagedMessage = toMessage(staged ?? {});
    const messages = batch.map(toMessage);
    const base = messages[messages.length - 1] ?? stagedMessage;
    return this.within(() => asMessage(base, (this.expect('accumulate') as Operator<'accumulate'>).process(stagedMessage, messages)));
  }

  delay(message: Message | MessageUpdate, timestamp?: Timestamp): Timestamp {
    const input = toMessage(message);
    return this.within(() => (this.expect('delay') as Operator<'delay'>).process(input, timestamp ?? input.timestamp));
  }

  /** The sum of a counter's increments. */
  counter(name: string): number {
    return this.metrics.filter((m) => m.kind === 'counter' && m.name === name).reduce((sum, m) => sum + m.value, 0);
  }

  private expect(kind: OperatorKind): Operator {
    if (this.operator.kind !== kind) throw new Error(`this is a ${this.operator.kind} operator, not a ${kind}`);
    return this.operator;
  }

  private within<T>(call: () => T): T {
    setHost(this.host);
    setLogContext(this.operator.kind);
    try {
      return call();
    } finally {
      setHost(undefined);
    }
  }
}

export function testOperator(operator: Operator, options?: TestOptions): OperatorHarness {
  return new OperatorHarness(operator, options);
}

function toMessage(value: Message | MessageUpdate): Message {
  return value instanceof Message ? value : Message.of(value);
}

export { Message };
