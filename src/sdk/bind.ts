/**
 * Turns SDK operators into the objects a component exports for `wasm-graph:processor/<kind>`: decodes what the
 * host passes, calls the operator, encodes its result, and turns a thrown error into the WIT `error` result so the
 * host fails that one item with the message (instead of trapping the instance).
 */
import { Config, ConfigError, isSdkOperator, type Operator, type OperatorKind } from './operators.js';
import { Message, type MessageUpdate } from './message.js';
import { log, setLogContext } from './host.js';
import { clockToTimestamp, decodeItem, encodeItem, startCall, timestampToClock, type Abi, type WitClock, type WitDataModel } from './wit-codec.js';

interface WitConfiguration {
  properties: Array<[string, string]>;
}

/** The export object for each requested kind: SDK operators are bound, objects written against the WIT pass as they are. */
export function bindExports(moduleExports: Record<string, unknown>, kinds: readonly OperatorKind[], abi: Abi, module: string): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  const fallback = moduleExports['default'];
  for (const kind of kinds) {
    const candidate = moduleExports[kind] ?? (isSdkOperator(fallback) && fallback.kind === kind ? fallback : undefined);
    if (candidate === undefined)
      throw new Error(
        `the operator module exports no ${kind} operator: add \`export const ${kind} = define${kind[0]!.toUpperCase()}${kind.slice(1)}({ ... })\``,
      );
    bound[kind] = isSdkOperator(candidate) ? bindOperator(candidate, abi, `${module}/${kind}`) : candidate;
  }
  return bound;
}

function bindOperator(
  operator: Operator,
  abi: Abi,
  context: string,
): { init(configuration: WitConfiguration): boolean; process(first: unknown, second?: unknown): unknown } {
  return {
    init(configuration) {
      setLogContext(context);
      return runInit(operator, Object.fromEntries(configuration.properties));
    },
    // Two fixed arguments, not a rest parameter: this runs for every item, and spreading allocates on each call.
    process(first, second) {
      setLogContext(context);
      startCall();
      try {
        return call(operator, first, second, abi);
      } catch (error) {
        // The WIT `error` record; both builders turn a thrown value into the `err` case of the result.
        throw { message: describe(error) };
      }
    },
  };
}

function call(operator: Operator, first: unknown, second: unknown, abi: Abi): unknown {
  switch (operator.kind) {
    case 'map': {
      const input = decodeItem(first as WitDataModel);
      return encodeItem(asMessage(input, (operator as Operator<'map'>).process(input)), abi, input);
    }
    case 'filter':
      return (operator as Operator<'filter'>).process(decodeItem(first as WitDataModel)) === true;
    case 'branch':
      return (operator as Operator<'branch'>).process(decodeItem(second as WitDataModel), clockToTimestamp(first as WitClock)) === true;
    case 'accumulate': {
      const staged = decodeItem(first as WitDataModel);
      const batch = (second as WitDataModel[]).map(decodeItem);
      const base = batch[batch.length - 1] ?? staged;
      return encodeItem(asMessage(base, (operator as Operator<'accumulate'>).process(staged, batch)), abi, base);
    }
    case 'delay': {
      const next = (operator as Operator<'delay'>).process(decodeItem(first as WitDataModel), clockToTimestamp(second as WitClock));
      return timestampToClock(next, abi);
    }
  }
}

/** Calls `init`: false (with a log line saying why) when it refuses the configuration or throws. */
export function runInit(operator: Operator, properties: Record<string, string>): boolean {
  try {
    return operator.init?.(new Config(properties)) !== false;
  } catch (error) {
    log.error(`init failed: ${error instanceof ConfigError ? error.message : describe(error)}`);
    return false;
  }
}

/** A map or accumulate result: a message as is, or an update applied to `base`. */
export function asMessage(base: Message, result: Message | MessageUpdate): Message {
  if (result instanceof Message) return result;
  if (result === undefined || result === null || typeof result !== 'object')
    throw new Error(`process returned ${String(result)}, not a message or an update object`);
  return base.with(result);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
}
