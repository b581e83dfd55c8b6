/** One `${VAR}` dialect for aio.yaml and graphs: the environment, then .env beside the file, then the default. */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { substitute } from '../../src/util/variables.js';
import { graphVariables } from '../../src/graph/placeholders.js';
import { preparedGraph } from '../../src/graph/release-graph.js';
import { loadValidGraph } from '../../src/graph/validate.js';
import { AioError } from '../../src/errors.js';
import { withTempDir } from '../helpers/temp-dir.js';

const GRAPH = `metadata:
  $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json"
  name: "vars"
  version: "1.0.0"
moduleRequirements:
  apiVersion: "1.1.0"
  runtimeVersion: "1.1.0"
operations:
  - operationType: source
    name: source
  - operationType: map
    name: module-temperature/map
    module: "temperature:\${VERSION}"
  - operationType: filter
    name: module-limit/filter
    module: "\${REPO:-samples}/limit:\${LIMIT_TAG:-2.0.0}"
  - operationType: sink
    name: sink
connections:
  - from: { name: source }
    to: { name: module-temperature/map }
  - from: { name: module-temperature/map }
    to: { name: module-limit/filter }
  - from: { name: module-limit/filter }
    to: { name: sink }
`;

describe('variables', () => {
  it('substitute fills values and defaults, names what is missing, and collects secret-looking values', () => {
    const lookup = (name: string): string | undefined => ({ A: 'a', API_TOKEN: 't0k' })[name];
    assert.deepEqual(substitute('${A}/${B:-b}/${C}/${C}/${API_TOKEN}', lookup), { text: 'a/b/${C}/${C}/t0k', missing: ['C'], secrets: ['t0k'] });
  });

  it('a graph takes its variables from the environment, then .env beside it, then the default', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'graph.yaml');
      await writeFile(file, GRAPH);
      await writeFile(join(dir, '.env'), 'VERSION=1.5.0\nREPO=from-dotenv\n');
      const filled = preparedGraph(file, GRAPH, await graphVariables(file, { REPO: 'from-env' }));
      assert.deepEqual(filled.graph.operations.map((o) => o.module).filter(Boolean), ['temperature:1.5.0', 'from-env/limit:2.0.0']);
      assert.throws(
        () => preparedGraph(file, GRAPH, () => undefined),
        (e: unknown) => e instanceof AioError && e.code === 'AIO_PLACEHOLDER_UNSET' && /\$\{VERSION\}/.test(e.message) && !/LIMIT_TAG/.test(e.message),
      );
    });
  });

  it('a run fills the placeholders that have a value, as a deployment would, and leaves the others', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'graph.yaml');
      await writeFile(file, GRAPH);
      const { graph } = await loadValidGraph(file);
      assert.deepEqual(graph.operations.map((o) => o.module).filter(Boolean), ['temperature:${VERSION}', 'samples/limit:2.0.0']);
    });
  });
});
