import { finding, type Finding } from '../../diagnostics.js';
import type { Located } from '../model.js';
import type { PipelineRule } from './rule.js';

/** `aio-sr://<namespace>/<name>:<version>` or `aio-sr://<name>:<version>` (§1.6.6). */
const SCHEMA_REF = /^aio-sr:\/\/(?:[^/:\s]+\/)?[^/:\s]+:[^/:\s]+$/;

/** The docs' own WASM samples write `sensor-input-schema:1`, so another form is a warning, not an error. */
export const schemaRefs: PipelineRule = {
  id: 'schema-refs',
  codes: { AIO_PIPELINE_SCHEMA_REF: 'a `schemaRef` is not `aio-sr://[<namespace>/]<name>:<version>`' },
  check(manifest) {
    const refs: Array<{ ref: Located<string>; where: string }> = [];
    for (const c of manifest.connections) {
      if (c.from.schema?.schemaRef !== undefined) refs.push({ ref: c.from.schema.schemaRef, where: `nodeConnections[${c.index}].from.schema.schemaRef` });
    }
    for (const node of manifest.nodes) {
      if (node.nodeType === 'Destination' && node.outputSchemaSettings?.schemaRef !== undefined) {
        refs.push({ ref: node.outputSchemaSettings.schemaRef, where: `destination ${node.name} outputSchemaSettings.schemaRef` });
      }
    }
    const out: Finding[] = [];
    for (const { ref, where } of refs) {
      if (SCHEMA_REF.test(ref.value)) continue;
      out.push(
        finding(
          'warning',
          'AIO_PIPELINE_SCHEMA_REF',
          ref.pos,
          `${where} "${ref.value}" is not a schema registry reference`,
          'write aio-sr://<namespace>/<name>:<version> or aio-sr://<name>:<version>',
        ),
      );
    }
    return out;
  },
};
