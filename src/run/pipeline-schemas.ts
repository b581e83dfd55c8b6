/**
 * The local schema registry of a pipeline: a built-in filter with `validateSchema` checks each payload against the
 * schema its incoming connection names (`from.schema.schemaRef: aio-sr://[<namespace>/]<name>:<version>`). In the
 * cluster that schema lives in the Azure Device Registry's schema registry; locally it is a file in the `schemas/`
 * folder beside the manifest: `<name>-<version>.json`, else `<name>.json`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { AioError } from '../errors.js';
import type { Graph } from '../graph/model.js';
import type { Manifest } from '../pipeline/model.js';
import { compileBuiltin } from '../builtins/transforms/index.js';
import { compilePayloadSchema } from './payload-schema.js';

/** The candidate files for a reference, most specific first. */
export function schemaFiles(manifestFile: string, ref: string): string[] {
  const match = /^aio-sr:\/\/(?:[^/]+\/)?([^:/]+)(?::(.+))?$/.exec(ref);
  const [name, version] = match ? [match[1]!, match[2]] : [ref.replace(/[:/]/g, '-'), undefined];
  const dir = join(dirname(manifestFile), 'schemas');
  return [...(version === undefined ? [] : [join(dir, `${name}-${version}.json`)]), join(dir, `${name}.json`)];
}

/** Loads the schema of every built-in that validates payloads into its operation; an error names what is missing. */
export async function loadPipelineSchemas(graph: Graph, manifest: Manifest): Promise<void> {
  for (const op of graph.operations) {
    const native = op.native;
    if (native?.kind !== 'builtin' || compileBuiltin(native.artifact, native.configuration).builtin?.validatesSchema !== true) continue;
    const at = { file: manifest.file, ...op.pos };
    if (native.schema === undefined) {
      throw new AioError('AIO_PIPELINE_SCHEMA_MISSING', `node ${native.node} has validateSchema, but no connection into it names a schema`, {
        hint: `add from.schema: { serializationFormat: Json, schemaRef: "aio-sr://<name>:<version>" } to the connection into ${native.node}`,
        location: at,
      });
    }
    const candidates = schemaFiles(manifest.file, native.schema.ref);
    const file = candidates.find((f) => existsSync(f));
    if (file === undefined) {
      throw new AioError(
        'AIO_PIPELINE_SCHEMA_NOT_FOUND',
        `node ${native.node} validates against ${native.schema.ref}, and the local schema registry has no such schema`,
        {
          hint: `put the JSON Schema in ${candidates.map((c) => relative(process.cwd(), c)).join(' or ')}`,
          location: at,
        },
      );
    }
    const text = await readFile(file, 'utf8');
    compilePayloadSchema(file, text); // an unusable schema is reported now, before the run starts
    native.schema = { ref: native.schema.ref, file, text };
  }
}
