import { AioError } from '../errors.js';
import { sha256Digest } from './digest.js';
import {
  ANNOTATION_CREATED,
  ANNOTATION_TITLE,
  EMPTY_BYTES_DIGEST,
  EMPTY_JSON,
  EMPTY_JSON_BYTES,
  EMPTY_JSON_DIGEST,
  GRAPH_CONFIG,
  GRAPH_LAYER,
  MODULE_ARTIFACT_TYPE,
  OCI_MANIFEST,
  WASM_LAYER,
  WASM_LAYER_ALT,
} from './media-types.js';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  data?: string;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export type ArtifactKind = 'module' | 'graph';

/** A manifest with the blobs it needs, ready to push. Pure: built the same way for every registry. */
export interface ArtifactPlan {
  kind: ArtifactKind;
  manifest: ImageManifest;
  /** Manifest bytes exactly as pushed; their digest is the artifact's digest. */
  manifestBytes: Buffer;
  blobs: Array<{ descriptor: Descriptor; bytes: Buffer }>;
}

/** A module: `oras push R/name:tag --artifact-type application/vnd.module.wasm.content.layer.v1+wasm file.wasm:application/wasm`. */
export function moduleArtifact(fileName: string, wasm: Buffer, created: Date): ArtifactPlan {
  const layer: Descriptor = { mediaType: WASM_LAYER, digest: sha256Digest(wasm), size: wasm.length, annotations: { [ANNOTATION_TITLE]: fileName } };
  const config: Descriptor = { mediaType: EMPTY_JSON, digest: EMPTY_JSON_DIGEST, size: 2, data: 'e30=' };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: MODULE_ARTIFACT_TYPE,
    config,
    layers: [layer],
    annotations: { [ANNOTATION_CREATED]: created.toISOString().replace(/\.\d{3}Z$/, 'Z') },
  };
  return plan('module', manifest, [
    { descriptor: config, bytes: EMPTY_JSON_BYTES },
    { descriptor: layer, bytes: wasm },
  ]);
}

/** A graph: `oras push R/name:tag --config /dev/null:application/vnd.microsoft.aio.graph.v1+yaml graph.yaml:application/yaml`. */
export function graphArtifact(fileName: string, yaml: Buffer, created: Date): ArtifactPlan {
  const layer: Descriptor = { mediaType: GRAPH_LAYER, digest: sha256Digest(yaml), size: yaml.length, annotations: { [ANNOTATION_TITLE]: fileName } };
  const config: Descriptor = { mediaType: GRAPH_CONFIG, digest: EMPTY_BYTES_DIGEST, size: 0 };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config,
    layers: [layer],
    annotations: { [ANNOTATION_CREATED]: created.toISOString().replace(/\.\d{3}Z$/, 'Z') },
  };
  return plan('graph', manifest, [
    { descriptor: config, bytes: Buffer.alloc(0) },
    { descriptor: layer, bytes: yaml },
  ]);
}

function plan(kind: ArtifactKind, manifest: ImageManifest, blobs: ArtifactPlan['blobs']): ArtifactPlan {
  return { kind, manifest, manifestBytes: Buffer.from(JSON.stringify(manifest)), blobs };
}

/** `\0asm` followed by a version: a WebAssembly binary (core module or component). */
export function isWasm(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

/** Which kind of artifact a pulled manifest is, and its content layer; refuses what aio does not know. */
export function contentLayer(manifest: ImageManifest, where: string): { kind: ArtifactKind; layer: Descriptor } {
  const layers = Array.isArray(manifest.layers) ? manifest.layers : [];
  const wasm = layers.find((l) => l.mediaType === WASM_LAYER || l.mediaType === WASM_LAYER_ALT);
  if (wasm !== undefined) return { kind: 'module', layer: wasm };
  const yaml = layers.find((l) => l.mediaType === GRAPH_LAYER);
  if (manifest.config?.mediaType === GRAPH_CONFIG && yaml !== undefined) return { kind: 'graph', layer: yaml };
  throw new AioError('AIO_REGISTRY_UNKNOWN_ARTIFACT', `${where} is neither a module (layer ${WASM_LAYER}) nor a graph (config ${GRAPH_CONFIG})`, {
    hint: `its layers are: ${layers.map((l) => l.mediaType).join(', ') || 'none'}; push it with \`aio registry push\``,
  });
}
