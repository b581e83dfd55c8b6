/** Media types and fixed descriptors of the artifacts the AIO runtime and portal expect (what `oras push` makes). */

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** Registries answer a manifest GET with 404 unless Accept lists the manifest type. */
export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST].join(', ');

export const MODULE_ARTIFACT_TYPE = 'application/vnd.module.wasm.content.layer.v1+wasm';
export const WASM_LAYER = 'application/wasm';
/** Some published modules use this layer type instead; pulls accept both. */
export const WASM_LAYER_ALT = 'application/vnd.wasm.content.layer.v1+wasm';

export const GRAPH_CONFIG = 'application/vnd.microsoft.aio.graph.v1+yaml';
export const GRAPH_LAYER = 'application/yaml';

export const EMPTY_JSON = 'application/vnd.oci.empty.v1+json';
/** The OCI empty descriptor: the 2-byte JSON `{}`. */
export const EMPTY_JSON_BYTES = Buffer.from('{}');
export const EMPTY_JSON_DIGEST = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
/** The digest of zero bytes: the graph artifact's config blob. */
export const EMPTY_BYTES_DIGEST = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const ANNOTATION_TITLE = 'org.opencontainers.image.title';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
