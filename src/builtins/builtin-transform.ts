/**
 * The six built-in transforms as the rest of aio sees them: compiled once from a Graph node's `configuration`
 * (with every finding at an offset inside the configuration value the user wrote), then instantiated as an
 * engine node per run. Implementations: transforms/*.ts; the table: transforms/index.ts.
 */
import type { GraphNode, NodeContext } from '../engine/operators.js';

export const BUILTIN_NAMES = ['map', 'filter', 'branch', 'concatenate', 'window', 'throttle'] as const;
export type BuiltinName = (typeof BUILTIN_NAMES)[number];

/** The repository prefix of every built-in artifact, e.g. `azureiotoperations/graph-dataflow-map:1.0.0`. */
export const BUILTIN_REPOSITORY_PREFIX = 'azureiotoperations/graph-dataflow-';

/** A `{key, value}` entry of `graphSettings.configuration`, as the manifest holds it. */
export interface ConfigurationEntry {
  key: string;
  value: string;
}

/**
 * A finding about a built-in's configuration. `key` names the configuration entry it is in (undefined: about the
 * node as a whole, e.g. a missing `rules` key); `offset` is a 0-based character offset into that entry's `value`
 * string as the user wrote it after YAML/JSON unquoting (the manifest layer maps it to file line:column).
 */
export interface BuiltinFinding {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint?: string;
  key: string | undefined;
  offset: number | undefined;
}

/** Choices where the docs allow two readings (spec §9); defaults are the spec's recommendations. */
export interface BuiltinOptions {
  /** Map overlap (§3.1.5): `copy` = copy-then-patch (default), `move` = input-based specialization. */
  mapOverlap: 'copy' | 'move';
  /** Count/memory with `messageInNext` (§5.3): `A` = the limit-reaching message is the boundary (default), `B` = the window is full. */
  windowLimitReading: 'A' | 'B';
  /** Emit open windows at the end of input (tests, data folders) instead of discarding them as the cluster would. */
  flushWindowsAtEnd: boolean;
}

export const DEFAULT_BUILTIN_OPTIONS: BuiltinOptions = { mapOverlap: 'copy', windowLimitReading: 'A', flushWindowsAtEnd: false };

/** What a built-in node needs from the run besides the engine's NodeContext. */
export interface BuiltinServices {
  /** Reads a state-store key as text (datasets); undefined when absent. Throws when the store is unreachable. */
  stateStoreGet(key: string): string | undefined;
  /** Milliseconds on the run's processing clock (throttle; the virtual clock in tests). */
  processingTime(): number;
  /** Validates a payload against the schema named on the node's incoming edge (`validateSchema`); a reason when it does not conform. */
  validateSchema?(payload: unknown): string | undefined;
  options: BuiltinOptions;
}

export interface CompiledBuiltin {
  name: BuiltinName;
  /** `1.0.0` or `1.1.0` (window). */
  version: string;
  /** Output ports besides the default: branch has `output.true` and `output.false`, every other built-in none. */
  outputs: readonly string[];
  /** Filter with `validateSchema: true`: the pipeline must hand the node a `validateSchema` service (the incoming edge's schema). */
  validatesSchema?: boolean;
  /** Makes the engine node; called once per run. Emits with arm 'True'/'False' for branch. */
  instantiate(context: NodeContext, services: BuiltinServices): GraphNode;
}

export type BuiltinCompileResult = { findings: BuiltinFinding[]; builtin: CompiledBuiltin | undefined };
