import { apiVersions } from './api-versions.js';
import { bodySettings } from './body-settings.js';
import { branchMerge } from './branch-merge.js';
import { builtinConfigurations } from './builtin-configurations.js';
import { configurationKeys } from './configuration-keys.js';
import { connectionEnds } from './connection-ends.js';
import { cycles } from './cycles.js';
import { destinationTopics } from './destination-topics.js';
import { edgeKinds } from './edge-kinds.js';
import { endpoints } from './endpoints.js';
import { fileStores } from './file-stores.js';
import { headerActions } from './header-actions.js';
import { nodeNames } from './node-names.js';
import { outputPorts } from './output-ports.js';
import type { PipelineRule } from './rule.js';
import { schemaRefs } from './schema-refs.js';
import { sourcesAndDestinations } from './sources-and-destinations.js';
import { topicLoops } from './topic-loops.js';

/** Every structural rule of a DataflowGraph manifest, in the order their findings read best. */
export const PIPELINE_RULES: readonly PipelineRule[] = [
  bodySettings,
  apiVersions,
  nodeNames,
  sourcesAndDestinations,
  connectionEnds,
  edgeKinds,
  cycles,
  outputPorts,
  branchMerge,
  configurationKeys,
  builtinConfigurations,
  destinationTopics,
  topicLoops,
  headerActions,
  schemaRefs,
  fileStores,
  endpoints,
];

export type { PipelineRule } from './rule.js';
