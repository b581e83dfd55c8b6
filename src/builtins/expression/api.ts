/**
 * The public face of the AIO expression language (spec builtin-transforms.md §2–§4): what the transforms compile
 * once per rule and evaluate per message. Everything here is pure: no I/O, no clock.
 *
 * Positions are 0-based character offsets into the text that was compiled (an expression, an input string, a
 * path); the caller (the rule compiler) adds the offset of that text inside the rule's JSON, and the manifest
 * layer turns that into file line:column.
 */

/** A value of the language (spec §2.4). Int is a JS number that is always a safe integer (see values.ts). */
export type Value =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'tuple'; value: Value[] }
  | { type: 'empty' }
  /** An object, or an array holding objects/arrays: copied verbatim by rules without an expression, an error in any computation. */
  | { type: 'json'; value: unknown };

/** A problem found while compiling, at `offset` (0-based, in characters) of the compiled text. */
export interface ExpressionProblem {
  code: string;
  message: string;
  hint?: string;
  offset: number;
  /** Characters the problem spans (1 when unknown). */
  length: number;
  severity: 'error' | 'warning';
}

/** Where an expression is used decides what it may contain (spec §4.7). */
export type ExpressionContext = 'map' | 'filter' | 'branch' | 'accumulate' | 'trigger' | 'dataset';

export interface CompileOptions {
  context: ExpressionContext;
  /** How many `$n` the rule binds (its `inputs` length); `$n` beyond it is an error. */
  inputCount: number;
}

/** Running state of one trigger rule inside the current window (spec §4.6); reset when the window closes. */
export interface RunningState {
  /** Values of each input over the previous messages of the window, by input index (0-based). */
  readonly history: ReadonlyArray<readonly Value[]>;
  /** How many previous messages the window holds. */
  readonly messages: number;
}

/** A compiled expression: parse and checks happen once; `evaluate` runs per message. */
export interface CompiledExpression {
  /** The source text, for messages. */
  readonly source: string;
  /** Evaluates with `$1..$n` bound to `inputs[0..n-1]`. Throws ExpressionError on a run-time failure. */
  evaluate(inputs: readonly Value[], running?: RunningState): Value;
  /**
   * Accumulate rules only: evaluates with each `$n` standing for the collection of that input's values over the
   * window (`columns[n-1]`, only the messages where the field was present). Throws ExpressionError.
   */
  aggregate(columns: ReadonlyArray<readonly Value[]>): Value;
}

export type CompileResult = { ok: true; expression: CompiledExpression; warnings: ExpressionProblem[] } | { ok: false; problems: ExpressionProblem[] };

/** A run-time failure of one evaluation (type error, division by zero, missing input …): the message is dropped. */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** One segment of a field path; `wildcard` is the `*` segment (map only). */
export type PathSegment = { kind: 'name'; name: string } | { kind: 'wildcard' };

/** A parsed field path (spec §2.2, §4.8). */
export type FieldPath =
  | { kind: 'payload'; segments: PathSegment[] }
  /** `$metadata.topic`, `$metadata.user_property.<key>`, `$metadata.header.<key>`, `$metadata.system_property.content_type`. */
  | { kind: 'metadata'; field: 'topic' | 'user_property' | 'header' | 'content_type'; key?: string }
  /** `$context(alias).<path>` (the segments may hold one wildcard in map). */
  | { kind: 'context'; alias: string; segments: PathSegment[] }
  /** `$source.<path>` / `$context.<path>`: dataset `inputs` only. */
  | { kind: 'dataset-source'; segments: PathSegment[] }
  | { kind: 'dataset-record'; segments: PathSegment[] };

/** A parsed input string: path, `? $last`, `?? default` (spec §2.3). */
export interface InputSpec {
  path: FieldPath;
  /** The text of the path as written (for messages). */
  text: string;
  last: boolean;
  /** The `??` default, already a Value (null → empty). */
  fallback: Value | undefined;
}
