import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderDiagram } from '../../src/graph/diagram.js';
import { graphSchema } from '../../src/graph/schema.js';
import { loadValidGraph } from '../../src/graph/validate.js';
import { samplesDir } from '../helpers/paths.js';
import { matchSnapshot } from '../helpers/snapshot.js';

describe('what users see (snapshots)', () => {
  for (const format of ['text', 'mermaid', 'dot'] as const) {
    it(`draws the complex sample graph as ${format}`, async () => {
      // A relative file name keeps the snapshot independent of where the repository is checked out.
      const { graph } = await loadValidGraph(join(samplesDir, 'aio-explore', 'graph-complex.yaml'));
      matchSnapshot(`graph-complex.${format}.txt`, renderDiagram({ ...graph, file: 'graph-complex.yaml' }, format));
    });
  }

  it('publishes the graph JSON Schema unchanged', () => {
    matchSnapshot('aio-wasm-graph-config.schema.json', `${JSON.stringify(graphSchema, null, 2)}\n`);
  });
});
