import { branchArms } from './branch-arms.js';
import { connectionEnds } from './connection-ends.js';
import { cycles } from './cycles.js';
import { moduleConfigurations } from './module-configurations.js';
import { modulePresence } from './module-presence.js';
import { moduleReferences } from './module-references.js';
import { placeholders } from './placeholders.js';
import { reachability } from './reachability.js';
import { requiredParameters } from './required-parameters.js';
import type { GraphRule } from './rule.js';
import { runtimeVersion } from './runtime-version.js';
import { selfLoops } from './self-loops.js';
import { singleInput } from './single-input.js';
import { sourceAndSink } from './source-and-sink.js';
import { uniqueNames } from './unique-names.js';

/** Every semantic rule, in the order their findings read best. */
export const GRAPH_RULES: readonly GraphRule[] = [
  uniqueNames,
  connectionEnds,
  sourceAndSink,
  modulePresence,
  moduleReferences,
  selfLoops,
  cycles,
  reachability,
  branchArms,
  singleInput,
  moduleConfigurations,
  requiredParameters,
  placeholders,
  runtimeVersion,
];

export type { GraphRule } from './rule.js';
