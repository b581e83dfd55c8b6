/**
 * The catalog of every code aio reports: findings (with their severity) and errors (with the exit status they end
 * a command with). AioError takes its exit status from here, so one code always exits the same way, and
 * docs/diagnostics.md is generated from it (`npm run docs`; a test fails when the two differ or when the source
 * uses a code the catalog lacks). Sections, tables and the prose between them are in reading order.
 */
import type { ExitCodeValue } from './errors.js';

type Severity = 'error' | 'warning' | 'note' | 'info';
/** A table of findings (code, severity, meaning) or of errors (code, exit status, meaning), or prose. */
export type CatalogBlock =
  | { findings: Array<[code: string, severity: Severity, meaning: string]> }
  | { errors: Array<[code: string, exit: ExitCodeValue, meaning: string]> }
  | { text: string };

export interface CatalogSection {
  title: string;
  blocks: CatalogBlock[];
}

/** The page's opening, before the first section. */
export const CATALOG_INTRO =
  '# Diagnostic and error codes\n\nEvery finding and every error `aio` reports carries one of these codes. Codes are stable: scripts may match on\nthem. Findings print as `path:line:col: severity CODE: message (hint: how to fix)`; with `--json` they are objects\nwith `file`, `line`, `column`, `severity`, `code`, `message` and `hint`. Errors that stop a command print as\n`error CODE: message` plus a `hint:` line, or `{"error": {code, message, hint, exit}}` with `--json`. Each error\ncode has one exit status, whichever command reports it: a malformed flag value is a usage error (2), a malformed\nfile is invalid input (3). This page is generated from `src/error-catalog.ts` by `npm run docs`.';

export const CATALOG: CatalogSection[] = [
  {
    title: 'Reading files',
    blocks: [
      {
        findings: [
          ['AIO_FILE_NOT_FOUND', 'error', 'the path does not exist or cannot be read'],
          ['AIO_FILE_IS_DIRECTORY', 'error', 'a folder was given where a file is needed'],
          ['AIO_FILE_NOT_REGULAR', 'error', 'the path is a named pipe (FIFO), a device or a socket, which would block or never end; name a regular file'],
          ['AIO_FILE_TOO_LARGE', 'error', 'the file is larger than 5 MiB; graph files are small, so it is probably the wrong file'],
          ['AIO_FILE_BINARY', 'error', 'the file contains a NUL byte; it is not text'],
          ['AIO_FILE_NOT_UTF8', 'error', 'the file is not valid UTF-8; the position is the first bad byte'],
        ],
      },
    ],
  },
  {
    title: 'YAML',
    blocks: [
      {
        findings: [
          ['AIO_YAML_EMPTY', 'error', 'the file holds no document'],
          ['AIO_YAML_SYNTAX', 'error', 'a YAML syntax error'],
          ['AIO_YAML_DUPLICATE_KEY', 'error', 'a key appears twice in one mapping (YAML would keep only one)'],
          ['AIO_YAML_TAB_INDENT', 'error', 'a tab is used for indentation'],
          ['AIO_YAML_MULTIPLE_DOCUMENTS', 'error', 'the file holds more than one `---` document'],
          ['AIO_YAML_ALIAS_LIMIT', 'error', 'aliases expand beyond 100 nodes (a "billion laughs" document)'],
          ['AIO_YAML_WARNING', 'warning', 'something the YAML parser warns about (e.g. an unknown tag)'],
        ],
      },
    ],
  },
  {
    title: 'Graph schema (`aio graph schema` prints it)',
    blocks: [
      {
        findings: [
          ['AIO_GRAPH_NOT_A_MAPPING', 'error', 'the document is a list or a scalar, not a graph mapping'],
          ['AIO_SCHEMA_REQUIRED', 'error', 'a required key is missing'],
          ['AIO_SCHEMA_UNKNOWN_KEY', 'error', 'a key the schema does not allow (with a did-you-mean)'],
          ['AIO_SCHEMA_TYPE', 'error', 'a value has the wrong type (e.g. `version: 1.0`, which YAML reads as a number)'],
          ['AIO_SCHEMA_ENUM', 'error', 'a value outside its allowed set (e.g. `operationType: fliter`)'],
          ['AIO_SCHEMA_INVALID', 'error', 'any other schema violation'],
        ],
      },
    ],
  },
  {
    title: 'Graph rules (what the cluster would reject, said clearly)',
    blocks: [
      {
        findings: [
          ['AIO_GRAPH_DUPLICATE_OPERATION', 'error', 'two operations share a name'],
          ['AIO_GRAPH_UNKNOWN_OPERATION', 'error', 'a connection names an operation that does not exist'],
          ['AIO_GRAPH_NO_SOURCE', 'error', 'the graph has no `source` operation'],
          ['AIO_GRAPH_NO_SINK', 'error', 'the graph has no `sink` operation'],
          ['AIO_GRAPH_INPUT_INTO_SOURCE', 'error', 'a connection leads into a source'],
          ['AIO_GRAPH_OUTPUT_FROM_SINK', 'error', 'a connection leaves a sink'],
          ['AIO_GRAPH_MODULE_MISSING', 'error', 'a map, filter, branch, accumulate or delay names no module'],
          ['AIO_GRAPH_MODULE_FORBIDDEN', 'error', 'a source, sink or concatenate names a module'],
          [
            'AIO_GRAPH_MODULE_REFERENCE',
            'error',
            'a module reference is not an OCI `repository:tag` or `repository@digest` the registry could serve (e.g. `../../x:1.0.0`, uppercase letters, a bad tag or digest)',
          ],
          ['AIO_GRAPH_MODULE_NO_TAG', 'info', 'a module reference has no tag: the cluster pulls `:latest`'],
          ['AIO_GRAPH_SELF_LOOP', 'error', 'a connection leads from an operation to itself'],
          ['AIO_GRAPH_CYCLE', 'error', 'connections form a loop; the message spells it out'],
          ['AIO_GRAPH_UNREACHABLE', 'error', 'no data from a source reaches the operation'],
          ['AIO_GRAPH_DEAD_END', 'error', 'data leaving the operation never reaches a sink'],
          ['AIO_GRAPH_BRANCH_ARMS', 'error', 'a branch lacks exactly one `"False"` and one `"True"` arm'],
          ['AIO_GRAPH_ARM_MISSING', 'error', 'a connection leaving a branch has no `arm`'],
          ['AIO_GRAPH_ARM_UNQUOTED', 'error', '`arm: False` unquoted is a YAML boolean; the cluster wants the string `"False"`'],
          ['AIO_GRAPH_ARM_OUTSIDE_BRANCH', 'error', 'an `arm` on a connection that does not leave a branch'],
          ['AIO_GRAPH_MULTIPLE_INPUTS', 'error', 'an operation other than concatenate has several inputs'],
          ['AIO_GRAPH_CONCATENATE_ONE_INPUT', 'warning', 'a concatenate with a single input merges nothing'],
          ['AIO_GRAPH_CONFIG_UNKNOWN_OPERATION', 'warning', 'a `moduleConfigurations` entry names no operation, so its parameters reach nothing'],
          ['AIO_GRAPH_CONFIG_DUPLICATE', 'warning', 'two `moduleConfigurations` entries configure the same operation'],
          ['AIO_GRAPH_RUNTIME_VERSION', 'warning', '`moduleRequirements` names a version other than `1.1.0`'],
          ['AIO_GRAPH_PARAMETER_REQUIRED', 'info', 'a `required: true` parameter has no default: every deployment must supply it'],
          ['AIO_GRAPH_PLACEHOLDER', 'info', 'a value holds a `${VAR}` placeholder, filled in from the environment at push time'],
        ],
      },
    ],
  },
  {
    title: 'DataflowGraph manifests (`aio graph validate` and `show` on a Kubernetes CR or an ARM resource)',
    blocks: [
      {
        text: "A manifest's built-in Graph nodes are also checked by the built-ins' own compiler: its `AIO_BUILTIN_*` findings are\nplaced at the line:column inside the configuration value (block scalar or escaped JSON string) where the problem is.",
      },
      {
        findings: [
          ['AIO_PIPELINE_NOT_A_MANIFEST', 'error', 'no `kind: DataflowGraph`, no ARM `dataflowGraphs` resource and no `nodes`/`nodeConnections`'],
          ['AIO_PIPELINE_SEVERAL_GRAPHS', 'warning', 'an ARM template holds several DataflowGraph resources; the first is read'],
          ['AIO_PIPELINE_REQUIRED', 'error', 'a required field is missing or empty (`nodes`, a node `name`, `sourceSettings.endpointRef`, …)'],
          ['AIO_PIPELINE_TYPE', 'error', 'a field has the wrong type (e.g. `value: 2000` unquoted, which YAML reads as a number)'],
          ['AIO_PIPELINE_UNKNOWN_FIELD', 'warning', 'a field the resource does not have (with a did-you-mean), or settings of another node type'],
          ['AIO_PIPELINE_NODE_TYPE', 'error', '`nodeType` is not `Source`, `Graph` or `Destination`'],
          ['AIO_PIPELINE_SWITCH_VALUE', 'warning', '`mode` or `requestDiskPersistence` is neither `Enabled` nor `Disabled`'],
          ['AIO_PIPELINE_MODE_DISABLED', 'info', '`mode: Disabled`: the cluster keeps the graph but processes nothing (aio still runs it)'],
          ['AIO_PIPELINE_PROFILE_REF', 'warning', '`profileRef` inside ARM `properties` (Bicep samples write it; ARM has no such property): ignored'],
          ['AIO_PIPELINE_NAME', 'error', 'the graph name is not 3–63 of `a-z 0-9 -` (a warning for a Kubernetes `metadata.name`)'],
          ['AIO_PIPELINE_API_VERSION', 'error', 'the ARM `apiVersion` predates DataflowGraph (a warning when it is not a known version)'],
          ['AIO_PIPELINE_FIELD_VERSION', 'error', 'a field the declared ARM `apiVersion` lacks (e.g. `headers` before 2025-10-01); see README'],
          ['AIO_PIPELINE_DUPLICATE_NODE', 'error', 'two nodes share a name'],
          ['AIO_PIPELINE_NODE_NAME', 'error', 'a node name holds characters other than letters, digits, `_` and `-`'],
          ['AIO_PIPELINE_NO_SOURCE', 'error', 'the graph has no Source node'],
          ['AIO_PIPELINE_NO_DESTINATION', 'error', 'the graph has no Destination node'],
          ['AIO_PIPELINE_UNKNOWN_NODE', 'error', 'a connection names a node that does not exist (or enters a node through a port)'],
          ['AIO_PIPELINE_SELF_LOOP', 'error', 'a connection leads from a node to itself'],
          ['AIO_PIPELINE_EDGE_KIND', 'error', 'a connection enters a Source or leaves a Destination'],
          ['AIO_PIPELINE_CYCLE', 'error', 'connections form a loop; the message spells it out'],
          ['AIO_PIPELINE_BRANCH_PORT_MISSING', 'error', 'a connection leaves a built-in branch by its bare name, without `.output.true`/`.output.false`'],
          ['AIO_PIPELINE_UNKNOWN_PORT', 'error', 'a connection leaves a built-in branch through a port other than `output.true`/`output.false`'],
          ['AIO_PIPELINE_PORT_ON_SINGLE_OUTPUT', 'error', 'a connection names a port on a node with one output (a source, map, filter, window, …)'],
          ['AIO_PIPELINE_BRANCH_UNMERGED', 'warning', 'a branch arm reaches a destination without passing a concatenate'],
          ['AIO_PIPELINE_CONFIG_KEY', 'error', 'a configuration key holds characters other than letters, digits, `_` and `-`'],
          ['AIO_PIPELINE_DUPLICATE_CONFIG_KEY', 'error', 'a Graph node lists the same configuration key twice'],
          ['AIO_PIPELINE_DESTINATION_WILDCARD', 'error', 'a destination topic holds `+` or `#`'],
          ['AIO_PIPELINE_OUTPUT_TOPIC_UNSET', 'warning', '`${outputTopic}` reached by a path with no map writing `$metadata.topic` (dropped)'],
          ['AIO_PIPELINE_TOPIC_LOOP', 'error', 'a destination publishes to a topic a source of the same endpoint reads: the graph would feed itself'],
          ['AIO_PIPELINE_TOPIC_MAY_LOOP', 'warning', 'a `${outputTopic}` destination can land in a topic a source of the same endpoint reads'],
          ['AIO_PIPELINE_HEADER_ACTION', 'error', 'a header `actionType` is not `AddIfNotPresent`, `AddOrReplace` or `Remove`'],
          ['AIO_PIPELINE_HEADER_ACTION_REPEATED', 'warning', 'two header actions of one destination share an `actionType` (the TypeSpec keys the list by it)'],
          ['AIO_PIPELINE_SCHEMA_REF', 'warning', 'a `schemaRef` is not `aio-sr://[<namespace>/]<name>:<version>`'],
          ['AIO_PIPELINE_FILE_STORE', 'error', 'a `fileStores` entry repeats an `id`, names a bad claim, or has an absolute or `..` `subPath`'],
          ['AIO_PIPELINE_ENDPOINT_NOT_LOCAL', 'info', 'an endpoint other than `default`: valid, not runnable locally until an environment binds it'],
        ],
      },
      { text: 'Running a manifest (`aio emulate`, `aio test`):' },
      {
        errors: [
          ['AIO_PIPELINE_NOT_RUNNABLE', 3, 'a Source or Destination uses an endpoint other than `default`, which only the cluster has'],
          ['AIO_PIPELINE_GRAPH_NOT_FOUND', 3, 'a custom Graph node names an artifact with no graph definition in aio.yaml, `--graph-file` or `--registry`'],
          ['AIO_PIPELINE_BAD_GRAPH_FILE_FLAG', 2, '`--graph-file` is not `<artifact>=<graph file>`'],
          ['AIO_PIPELINE_SCHEMA_MISSING', 3, 'a built-in filter has `validateSchema`, and no connection into it names a `schemaRef`'],
          ['AIO_PIPELINE_SCHEMA_NOT_FOUND', 3, 'a `schemaRef` has no file in the local schema registry (`schemas/` beside the manifest)'],
        ],
      },
    ],
  },
  {
    title: 'Command errors',
    blocks: [
      {
        errors: [
          ['AIO_GRAPH_INVALID', 3, 'a command that needs a valid graph (`graph show`, …) was given an invalid one'],
          ['AIO_NO_GRAPHS_FOUND', 3, '`graph validate <dir>` found no graph definitions'],
          ['AIO_USAGE', 2, "the command line is wrong (with `--json`; otherwise oclif's own message)"],
          ['AIO_INTERNAL', 1, 'a bug in `aio`; please report it with the command and input'],
        ],
      },
    ],
  },
  {
    title: 'Registries (`aio registry …`)',
    blocks: [
      {
        errors: [
          ['AIO_REGISTRY_BAD_REFERENCE', 3, 'not `<registry>/<repository>:<tag>` or `…@sha256:<digest>`'],
          ['AIO_REGISTRY_UNKNOWN_KIND', 3, 'cannot tell whether a file is a module or a graph (use `--kind`)'],
          ['AIO_MODULE_NOT_WASM', 3, 'a file pushed as a module is not a WebAssembly binary'],
          ['AIO_PLACEHOLDER_UNSET', 3, 'a graph uses `${VAR}` and the variable is not set at push time'],
          ['AIO_DOCKER_CONFIG_INVALID', 3, '`~/.docker/config.json` is not valid JSON'],
          ['AIO_DOCKER_CREDENTIAL_HELPER', 3, 'a configured `docker-credential-*` helper cannot run or failed'],
          ['AIO_REGISTRY_UNREACHABLE', 4, 'the registry (or its token service) cannot be reached'],
          ['AIO_REGISTRY_UNAUTHORIZED', 4, 'the registry needs credentials and none were found'],
          ['AIO_REGISTRY_DENIED', 4, 'the registry refused the credentials given'],
          ['AIO_REGISTRY_NOT_FOUND', 4, 'the repository, tag or digest does not exist'],
          ['AIO_REGISTRY_REQUEST_FAILED', 4, 'any other failed request (after retries for 429 and 5xx)'],
          ['AIO_REGISTRY_PROTOCOL', 4, 'the registry broke the distribution protocol (no Location, no token)'],
          ['AIO_REGISTRY_DIGEST_MISMATCH', 4, 'pulled content does not match its digest; nothing is written'],
          [
            'AIO_REGISTRY_TIMEOUT',
            4,
            'a registry, token service or blob store stalled: no response or no bytes within `--idle-timeout`, or a manifest or token not done within `--request-timeout` (after retries)',
          ],
          ['AIO_REGISTRY_CONNECTION_LOST', 4, 'the connection was made, then closed or reset part-way (a huge token in the request headers is one cause)'],
          ['AIO_REGISTRY_TOO_LARGE', 4, 'a manifest or token answer over 4 MiB, or a layer over `--max-blob-size`: refused before it is read or downloaded'],
          ['AIO_REGISTRY_NO_SPACE', 4, 'a layer is larger than the free disk where it would be written: refused before the download'],
          [
            'AIO_REGISTRY_WRITE_FAILED',
            3,
            'a pulled layer cannot be written where `-o` (or the module cache) points: a missing folder, no permission, a full disk',
          ],
          ['AIO_REGISTRY_BAD_DIGEST', 4, 'a manifest or header names a digest that is not `sha256:` and 64 hex digits (never used as a path)'],
          ['AIO_REGISTRY_BAD_TITLE', 4, "a layer's title (`org.opencontainers.image.title`) is empty, `.`, `..` or a path, so it names no file to pull into"],
          ['AIO_REGISTRY_UNKNOWN_ARTIFACT', 3, 'the artifact is neither a module nor a graph'],
          ['AIO_REGISTRY_NOT_A_MODULE', 3, 'a module reference pulled for `aio emulate` names a graph artifact'],
          ['AIO_REGISTRY_BAD_HOST', 2, 'a registry argument or `--registry` is not a host[:port]'],
          ['AIO_REGISTRY_NOT_ACR', 3, "`aio registry login --azure` on a registry without ACR's token exchange"],
          ['AIO_AZURE_NOT_SIGNED_IN', 4, 'no Azure identity (CLI sign-in, service principal, workload or managed identity) is available'],
          ['AIO_REGISTRY_LOGIN_NO_USER', 3, '`aio registry login` without `-u` for a registry that is not ACR'],
          ['AIO_REGISTRY_LOGIN_NO_PASSWORD', 3, '`aio registry login -u` without a password on stdin or in `AIO_REGISTRY_PASSWORD`'],
          ['AIO_GRAPH_ARTIFACT_NAME', 3, '`push --graph` on a graph without `metadata.name`/`version` and no `--name`'],
          ['AIO_REGISTRY_NAME_COLLISION', 3, "the graph artifact would overwrite one of its own modules' repositories"],
          ['AIO_REGISTRY_MODULE_PINNED', 3, '`push --graph`: a module is referenced by digest, so a local build cannot be pushed under it'],
          ['AIO_REGISTRY_MODULE_UNTAGGED', 3, '`push --graph`: a module reference has no tag'],
          [
            'AIO_USAGE_CONFLICT',
            2,
            '`registry push` got both a file and `--graph`, or `--name` with a pipeline manifest (each graph takes its node’s artifact)',
          ],
          ['AIO_USAGE_MISSING_FILE', 2, '`registry push` got neither a file nor `--graph`'],
        ],
      },
    ],
  },
  {
    title: 'Workspaces and operators (`aio init`, `aio operator new`, `aio build`, `aio operator test`)',
    blocks: [
      {
        errors: [
          [
            'AIO_WORKSPACE_NOT_FOUND',
            3,
            'no `aio.yaml` and no `operators/` folder at or above the current folder: run inside a workspace, pass `--workspace`, or `aio init` one',
          ],
          ['AIO_SCAFFOLD_FILES_EXIST', 3, '`aio init` or `aio operator new` would overwrite files; nothing was written'],
          [
            'AIO_OPERATOR_NAME_INVALID',
            2,
            "an operator name other than lowercase letters and digits (the AIO tooling's rule); the message says why and suggests one",
          ],
          ['AIO_OPERATOR_EXISTS', 3, 'the workspace already has an operator of that name'],
          ['AIO_OPERATOR_IN_GRAPH', 3, '`--add-to-graph`: the graph already has an operation of that name'],
          ['AIO_GRAPH_NOT_EDITABLE', 3, '`--add-to-graph`: the graph has no operations, connections or sink to wire the operator in before'],
          ['AIO_OPERATOR_MANIFEST_INVALID', 3, '`operators/<name>/operator.json` is not JSON, or names an unknown language, engine or operator kind'],
          ['AIO_OPERATOR_LANGUAGE_UNKNOWN', 3, 'no `Cargo.toml`, `<name>.py`, `src/index.ts` or `src/index.js`, and no `language` in `operator.json`'],
          ['AIO_BUILD_NO_OPERATORS', 3, 'the workspace has no folders under `operators/`'],
          ['AIO_BUILD_OPERATOR_UNKNOWN', 2, '`aio build <name>` names no operator of the workspace; the hint lists them'],
        ],
      },
      { text: "Each of these fails one operator's build (`aio build` exits 3 at the end; the others still build):" },
      {
        errors: [
          [
            'AIO_BUILD_TOOLCHAIN_MISSING',
            3,
            'cargo, rustc, the `wasm32-wasip2` target, a toolchain `rust-toolchain.toml` pins, `componentize-py` or `python3` is missing; the hint is the command that installs it',
          ],
          [
            'AIO_BUILD_RUST_REGISTRY_MISSING',
            3,
            '`Cargo.toml` takes `wasm_graph_sdk` from the `aio-wg` registry, which no `.cargo/config.toml` declares; the hint is the block to add',
          ],
          ['AIO_BUILD_COMPILE_ERROR', 3, 'the compiler (esbuild, cargo, componentize-py) reported errors, listed with file:line:column'],
          [
            'AIO_BUILD_COMPONENTIZE_FAILED',
            3,
            'componentize-qjs or componentize-js could not build the bundled operator (e.g. an exception while its top level ran)',
          ],
          [
            'AIO_BUILD_JS_API_MISSING',
            3,
            'a JavaScript operator uses a Web API QuickJS builds lack (`fetch`, `URL`, `crypto`, `setTimeout`, …); the hint names SpiderMonkey, which has it',
          ],
          ['AIO_BUILD_NO_OPERATOR_EXPORTS', 3, 'a JavaScript/TypeScript entry exports no `map`, `filter`, `branch`, `accumulate` or `delay`'],
          ['AIO_BUILD_PYTHON_OPERATOR_UNKNOWN', 3, 'a Python module defines no operator class (`class Map(exports.Map)`, …) or more than one'],
          ['AIO_BUILD_OUTPUT_MISSING', 3, 'cargo succeeded but wrote no `.wasm` (is `crate-type = ["cdylib"]` set?)'],
          [
            'AIO_BUILD_INTERFACE_MISSING',
            3,
            'the built module lacks the interface an operation of the graph needs (a `filter` operation naming a module that exports only `map`); each operation is listed with its file:line:column',
          ],
        ],
      },
    ],
  },
  {
    title: 'Operator modules (`aio module inspect`, the component host)',
    blocks: [
      {
        errors: [
          ['AIO_MODULE_NOT_FOUND', 3, 'the module file cannot be read'],
          ['AIO_MODULE_NOT_WASM', 3, 'the file is not WebAssembly at all'],
          ['AIO_MODULE_CORE_WASM', 3, 'a core WebAssembly module, not a component: rebuild for `wasm32-wasip2` / with componentize-py or componentize-js'],
          ['AIO_MODULE_INVALID', 3, 'the component is malformed (truncated, corrupted)'],
          [
            'AIO_MODULE_UNSUPPORTED',
            3,
            'the module imports something this host does not provide (e.g. `wasi:keyvalue`), or is built against `tinykube-graph:processor@1.0.0`; the message names the import',
          ],
          ['AIO_MODULE_TRANSPILE', 3, 'jco could not transpile the component'],
          ['AIO_MODULE_INSTANTIATE', 3, 'the module trapped while starting'],
          ['AIO_MODULE_MISSING_INTERFACE', 3, "the operation's `operationType` is not an interface the module exports; the message lists what it does export"],
          ['AIO_MODULE_INIT_REJECTED', 3, "the module's `init` returned false; the message names the operation and the parameters it was given"],
          ['AIO_MODULE_INIT_TRAPPED', 3, 'the module trapped inside `init`'],
          ['AIO_MODULE_INIT_DEADLINE', 3, 'the module did not finish starting (`init`) within the init deadline (`--init-deadline`, default 30 s)'],
          [
            'AIO_LIMIT_INVALID',
            2,
            '`--call-deadline`, `--init-deadline`, `--memory-limit`, `--max-packet-size`, `--client-connect-timeout`, a remote limit (`--idle-timeout`, `--max-blob-size`, `--retries`…) or its aio.yaml setting is not a duration (`5s`, `500ms`), size (`256MiB`) or count in range',
          ],
        ],
      },
      {
        text: "A module's error result, trap or missed deadline while processing an item is not an exit: the item is dropped,\nlogged with the operation's name, the item's timestamp and the message, and counted; a trapped instance is replaced\nbefore the next item. Each call has a deadline (`--call-deadline`, default 5 s): a call past it fails its item, and\nthe run's module thread is stopped and its instances started anew. Each instance's linear memory is capped\n(`--memory-limit`, default 256 MiB): growing past the cap fails the item as a trap.",
      },
    ],
  },
  {
    title: 'Emulator (`aio emulate`)',
    blocks: [
      { text: 'Every one of these is reported before the graph starts, except the two marked *run*.' },
      {
        errors: [
          ['AIO_EMULATE_NO_GRAPH', 3, 'no graph argument, and the current folder holds none or several graph files'],
          [
            'AIO_EMULATE_MODULE_NOT_FOUND',
            3,
            'a module reference resolves to no local file; the message lists every path searched (`--modules` folders, `operators/<name>/bin/release/`, `bin/<arch>/release/`, `bin/debug/`)',
          ],
          ['AIO_EMULATE_MISSING_PARAMETER', 3, 'a `required: true` parameter has no default and was given no value (position: its declaration)'],
          ['AIO_EMULATE_UNKNOWN_OPERATION', 3, '`--param` or `TK_CONFIGURATION_PARAMETERS` names an operation that has no module'],
          ['AIO_EMULATE_BAD_PARAM', 2, '`--param` is not `<operation>.<key>=<value>`'],
          ['AIO_EMULATE_BAD_CONFIGURATION_PARAMETERS', 3, '`TK_CONFIGURATION_PARAMETERS` in hostapp.env.list is not a JSON object'],
          ['AIO_EMULATE_BAD_ENV_LIST', 3, 'a line of hostapp.env.list is not `KEY=VALUE` (position: the line)'],
          ['AIO_EMULATE_BAD_STATESTORE', 3, 'statestore.json is not an array of one-key objects'],
          ['AIO_BAD_JSON', 3, 'a JSON workspace file (statestore.json, the payload schema) does not parse (position: where it stops)'],
          ['AIO_EMULATE_SCHEMA_NOT_FOUND', 3, '`TK_SCHEMA_CONFIG_PATH` names a file that does not exist'],
          ['AIO_EMULATE_BAD_SCHEMA', 3, 'the payload schema is not a usable draft-07 JSON Schema'],
          ['AIO_EMULATE_DATA_NOT_FOUND', 3, 'the `--data` folder does not exist, or is a file'],
          ['AIO_EMULATE_INPUT_TOO_LARGE', 3, 'a data-folder file is larger than an MQTT message can be (256 MiB); it is named'],
          [
            'AIO_EMULATE_DATA_NOT_REGULAR',
            3,
            'the data folder holds a named pipe, socket, device, or a broken or looping link: each is named; move it out (links to files are read as those files)',
          ],
          ['AIO_VARIABLE_TOO_DEEP', 3, '`${A:-${B:-…}}`: defaults hold variables more than 8 levels deep (in aio.yaml or a graph)'],
          [
            'AIO_OUTPUT_WRITE_FAILED',
            4,
            'a run could not write its output, log or trace file (a full disk, a lost folder); the path is named, the lines before it are kept whole and an unfinished output keeps its `.partial` name',
          ],
          ['AIO_EMULATE_BAD_TOPIC', 3, 'a source topic filter or the sink topic is malformed (wildcards in the wrong place, wildcards in the sink topic)'],
          ['AIO_EMULATE_TOPIC_LOOP', 3, 'the sink topic matches a source filter, so every output would come back as input'],
          ['AIO_TRACE_INVALID', 3, '`aio trace`: a line of the file is not a journey written by `aio emulate --trace` (position: the line)'],
          ['AIO_EMULATE_BAD_LISTEN_ADDRESS', 2, '`--metrics` or `--ui` is not `host:port`, `:port` or `port`'],
          [
            'AIO_EMULATE_LIVE_ONLY',
            2,
            '`--ui`, `--metrics` or `--follow-tags` with `--data`: they work on a live (MQTT) run; a data-folder run ends at once (use `--trace`)',
          ],
          ['AIO_EMULATE_BREAK_ON_UNKNOWN', 2, '`--break-on` names no module-backed operation of the graph'],
          ['AIO_EMULATE_FOLLOW_NEEDS_REGISTRY', 2, '`--follow-tags` without a registry to follow (`--registry` or an environment with one)'],
          ['AIO_EMULATE_BAD_BROKER_URL', 2, '`--broker` is not an `mqtt://`, `mqtts://`, `ws://` or `wss://` URL'],
          ['AIO_EMULATE_PORT_IN_USE', 3, "the embedded broker's port, or the `--ui`/`--metrics` port, is taken: pick another, or 0 for a free one"],
          ['AIO_EMULATE_BROKER_START', 3, 'the embedded broker cannot listen on the given address'],
          ['AIO_EMULATE_BROKER_UNREACHABLE', 4, 'the external broker does not answer (URL, port, TLS options)'],
          ['AIO_EMULATE_BROKER_AUTH', 4, 'the broker refused the credentials (`--username`, `AIO_MQTT_PASSWORD`)'],
          ['AIO_EMULATE_BROKER_PASSWORD_MISSING', 2, '`--username` asks the embedded broker for credentials and `AIO_MQTT_PASSWORD` is not set'],
          [
            'AIO_EMULATE_UNDELIVERED',
            4,
            '*run*: at shutdown the broker had not taken some outputs (external broker: not acknowledged, their inputs stay unacknowledged in the session and are redelivered) or refused them (embedded broker); the same contract for both',
          ],
        ],
      },
      {
        text: "Item-level problems never stop a run (*run*): a module error or trap, a payload rejected by the schema, an item late\nfor a closed window, or a delay that moves an item backwards is logged with the operation's name and the item's\n`__ts`, counted in the summary (`errors` or `dropped`), and the graph goes on.",
      },
    ],
  },
  {
    title: 'Graph tests (`aio test`)',
    blocks: [
      {
        errors: [
          ['AIO_TEST_NONE_FOUND', 3, 'no `*.test.yaml` or `*.cases.yaml` under the given paths'],
          ['AIO_TEST_BAD_CASES', 3, 'a `*.cases.yaml` file does not match its schema (`aio test schema`); each finding at its line:column'],
          ['AIO_TEST_BAD_TAP', 3, 'a tap key is not `<from> -> <to>`'],
          ['AIO_TEST_UNKNOWN_TAP', 3, 'a tap names a connection the graph does not have; the hint lists the connections'],
          [
            'AIO_TEST_BAD_DESCRIPTOR',
            3,
            'a test descriptor has an unknown key, a missing `graph`/`input`/`expected`, or a value of the wrong type (position: the key)',
          ],
        ],
      },
      {
        text: "A case whose graph cannot start (a module not found, a missing parameter) is reported as an *error* case with the\nemulator's code and position; a wrong expectation or a timeout as a *failed* case. Either makes `aio test` exit 3.",
      },
    ],
  },
  {
    title: 'Recording (`aio record`)',
    blocks: [
      {
        errors: [
          ['AIO_RECORD_BAD_TOPIC', 2, '`--topic` is not a valid MQTT topic filter'],
          ['AIO_RECORD_SUBSCRIBE_REFUSED', 4, 'the broker refused the subscription (its ACLs do not let this user read the topic)'],
          ['AIO_RECORD_NOTHING', 3, 'no message arrived, so no case could be written'],
          ['AIO_RECORD_CASES_NAME', 2, '`--cases` does not end in `.cases.yaml`, so `aio test` would not find it'],
          ['AIO_RECORD_CASES_NEED_GRAPH', 2, 'a new cases file names the graph it tests: pass `--graph`'],
          ['AIO_RECORD_CASES_UNREADABLE', 3, 'the `--cases` file exists but has no `cases:` list to append to'],
          ['AIO_RECORD_BINARY_PAYLOAD', 3, 'a recorded payload is not UTF-8 text, which a cases file cannot hold: record into a data folder (`--out`)'],
          ['AIO_DATA_PROPERTIES_INVALID', 3, "a data folder's `.aio-messages.json` (topics and properties of its files) is malformed"],
        ],
      },
    ],
  },
  {
    title: 'Project file (`aio.yaml`) and environments',
    blocks: [
      {
        text: '`aio.yaml` findings carry `aio.yaml:line:column`; the schema findings (`AIO_SCHEMA_*`, `AIO_YAML_*`) are the same\nas for graphs (`aio env schema` prints the schema).',
      },
      {
        errors: [
          ['AIO_PROJECT_NOT_FOUND', 3, 'no `aio.yaml` here or in a folder above (or `--project` names none)'],
          ['AIO_PROJECT_INVALID', 3, '`aio.yaml` has errors; every finding is listed with its position'],
          ['AIO_PROJECT_VAR_UNSET', 3, '`${VAR}` is set neither in the environment nor in `.env` beside `aio.yaml`'],
          ['AIO_PROJECT_GRAPH_NOT_FOUND', 3, 'a `graphs:` entry names a file that does not exist'],
          ['AIO_PROJECT_TARGET_INCOMPLETE', 3, 'an `arm` environment without `instance:`, or a cluster environment without `registry:`'],
          ['AIO_PROJECT_PLAIN_HTTP', 3, '`http://` registry in a cluster environment (clusters pull over TLS)'],
          ['AIO_PROJECT_GRAPH_NOT_CHOSEN', 3, 'several graphs and no `--graph`'],
          ['AIO_PROJECT_GRAPH_UNKNOWN', 3, '`--graph` names no graph in `aio.yaml`'],
          ['AIO_ENV_NOT_CHOSEN', 3, 'several environments and neither `--env` nor `AIO_ENV`'],
          ['AIO_ENV_UNKNOWN', 3, '`--env`/`AIO_ENV` names no environment'],
          ['AIO_ENV_NOT_DEPLOYABLE', 3, 'render or deploy of an `emulator` environment'],
          ['AIO_ENV_NO_TOPICS', 3, 'an environment used by `aio emulate` has an empty topic list'],
          ['AIO_PROJECT_NOTHING_TO_RUN', 3, '`aio.yaml` has neither `graphs:` nor `pipelines:`'],
          ['AIO_PROJECT_PIPELINE_NOT_FOUND', 3, 'a `pipelines:` entry names a file that does not exist'],
          ['AIO_PROJECT_PIPELINE_UNKNOWN', 3, "an environment's `pipeline:` names no entry of `pipelines:`"],
          ['AIO_PROJECT_NO_PIPELINE', 3, 'an environment binds pipeline nodes or variables, and `aio.yaml` has no `pipelines:`'],
          ['AIO_PROJECT_PIPELINE_NOT_CHOSEN', 3, 'several pipelines and the environment has no `pipeline:`'],
          [
            'AIO_PIPELINE_BINDING_MISSING',
            3,
            "the environment leaves something of its pipeline unbound: a manifest `${VAR}` with no value, or (emulator) a Source/Destination endpoint other than `default`; at the environment in `aio.yaml`, naming the manifest's line:column",
          ],
          ['AIO_PIPELINE_BINDING_UNKNOWN_NODE', 3, "the environment's `nodes:` names a node the pipeline manifest does not have (position: the key)"],
          [
            'AIO_PIPELINE_BINDING_KIND',
            3,
            "a node binding sets a field the node's type does not take (topics on a Graph node, a registry endpoint on a built-in)",
          ],
        ],
      },
    ],
  },
  {
    title: 'Render, deploy and promote (`aio render`, `aio deploy graph`, `aio promote`)',
    blocks: [
      {
        text: "The service's own checks run before anything is rendered or sent; each is reported at the `aio.yaml` position to\nchange, inside `AIO_DEPLOY_CHECKS_FAILED` (exit 3).",
      },
      {
        errors: [
          ['AIO_DEPLOY_CHECKS_FAILED', 3, 'the service would reject the deployment; the findings below are listed'],
          ['AIO_DEPLOY_NAME', 3, 'a DataflowGraph/RegistryEndpoint name or namespace is not 3–63 of `a-z 0-9 -`'],
          ['AIO_DEPLOY_REGISTRY_HOST', 3, 'the registry host is not a 3–63 character host name'],
          ['AIO_DEPLOY_ARTIFACT', 3, 'the graph artifact is not `<name>:<version>`'],
          ['AIO_DEPLOY_REGISTRY_AUTH', 3, 'the registry auth method lacks its settings (clientId/tenantId, secretRef)'],
          ['AIO_DEPLOY_CONFIG_KEY', 3, 'a configuration key holds characters other than letters, digits, `_` and `-`'],
          ['AIO_DEPLOY_PARAMETER_MISSING', 3, 'a `required: true` graph parameter has no configuration value in the environment'],
          ['AIO_RENDER_NEEDS_INSTANCE', 3, 'ARM or Bicep for an environment without `instance:`'],
          [
            'AIO_RENDER_API_VERSION_FIELD',
            3,
            "a pipeline uses a field the chosen `--api-version` lacks (headers, outputSchemaSettings, fileStores), at the manifest's line:column",
          ],
          ['AIO_RENDER_API_VERSION_GRAPH', 2, '`--api-version` for an environment that renders a graph rather than a pipeline'],
          [
            'AIO_RENDER_REGISTRY_ENDPOINT_UNKNOWN',
            3,
            "a pipeline's custom graph node names a registry endpoint other than the environment's `registry.endpoint`",
          ],
          ['AIO_ARM_REQUEST_FAILED', 4, 'Resource Manager refused a request (401, 403, 404, 409 …), with its error code'],
          ['AIO_ARM_UNREACHABLE', 4, 'Resource Manager cannot be reached'],
          [
            'AIO_ARM_TIMEOUT',
            4,
            'Resource Manager did not answer a request within `remote.requestTimeout`, or sent nothing for `remote.idleTimeout` (after `remote.retries` retries)',
          ],
          ['AIO_ARM_TOO_LARGE', 4, 'a Resource Manager answer over 4 MiB: refused at its declared length, or when the body passes it'],
          ['AIO_KUBE_CONFIG', 3, 'the kubeconfig cannot be read'],
          ['AIO_KUBE_CONTEXT_UNKNOWN', 3, '`kubernetes.context` is not in the kubeconfig'],
          ['AIO_KUBE_REQUEST_FAILED', 4, 'the API server refused a request (401, 403, 404 = AIO not installed, 422 …)'],
          ['AIO_KUBE_UNREACHABLE', 4, 'the API server cannot be reached'],
          [
            'AIO_KUBE_TIMEOUT',
            4,
            'the API server did not answer a request within `remote.requestTimeout`, or sent nothing for `remote.idleTimeout` (after `remote.retries` retries)',
          ],
          ['AIO_KUBE_TOO_LARGE', 4, 'an API server answer over 4 MiB: refused at its declared length, or when the body passes it'],
          ['AIO_DEPLOY_FAILED', 5, "the deployment or the graph's provisioning ended `Failed`; Azure's or the operator's message is shown"],
          ['AIO_DEPLOY_TIMEOUT', 5, 'no terminal state within `--timeout`; what was applied stays applied'],
          ['AIO_PROVISION_NO_ACR', 3, '`aio provision` for an environment without `registry.acr:`'],
          ['AIO_PROVISION_NO_PRINCIPAL', 3, '`registry.acr.pullPrincipalId` (the AIO extension identity) is not set'],
          ['AIO_DEPLOY_TAG_MOVED', 4, '`deploy --push`: a tag no longer resolves to the digest just pushed (another push in between)'],
          ['AIO_PROMOTE_SAME_ENV', 3, '`--from` and `--to` name the same environment'],
          ['AIO_PROMOTE_NO_REGISTRY', 3, 'the `--from` environment has no `registry:` to promote from'],
          ['AIO_PROMOTE_SOURCE_MISSING', 4, 'the graph or one of its modules is not in the `--from` registry; push it there first'],
          ['AIO_PROMOTE_NOT_A_GRAPH', 3, 'the artifact named for the graph is a module'],
          ['AIO_PROMOTE_DIGEST_MISMATCH', 4, 'a copy landed under another digest (the registry rewrote the manifest)'],
          [
            'AIO_PROMOTE_DECLINED',
            130,
            'the promotion was declined at the terminal prompt; nothing was copied or deployed (stopped by the user, not a usage error)',
          ],
        ],
      },
    ],
  },
  {
    title: 'Built-in transforms (`graph-dataflow-*` configuration)',
    blocks: [
      {
        text: 'Reported at the line and column inside the configuration value (a YAML block scalar or an escaped JSON string). A node with an error does not run, as the cluster fails such a transform when it initializes.',
      },
      {
        findings: [
          ['AIO_BUILTIN_UNKNOWN_ARTIFACT', 'error', 'a `graph-dataflow-*` artifact that is none of the six built-ins (map, filter, …, throttle)'],
          ['AIO_BUILTIN_UNKNOWN_VERSION', 'error', 'a built-in artifact tag that does not exist (window has 1.0.0 and 1.1.0, the others 1.0.0)'],
          ['AIO_BUILTIN_UNKNOWN_KEY', 'error', 'a configuration key the built-in does not read (e.g. `rules` on a throttle, whose key is `throttle`)'],
          ['AIO_BUILTIN_DUPLICATE_KEY', 'error', 'a configuration key appears twice'],
          ['AIO_BUILTIN_MISSING_KEY', 'error', 'a required configuration key is missing (e.g. `rules` on a window)'],
          ['AIO_BUILTIN_JSON_SYNTAX', 'error', 'a configuration value is not valid JSON'],
          ['AIO_BUILTIN_UNKNOWN_MEMBER', 'error', 'a JSON member the built-in does not know'],
          ['AIO_BUILTIN_DUPLICATE_MEMBER', 'error', 'a JSON member appears twice in one object'],
          ['AIO_BUILTIN_WRONG_TYPE', 'error', 'a JSON member has the wrong type (e.g. a string where a number belongs)'],
          ['AIO_BUILTIN_MISSING_MEMBER', 'error', 'a required JSON member is missing'],
          ['AIO_BUILTIN_INVALID_LIMIT', 'error', '`delaySeconds`, `maxMessageCount` or `maxBufferBytes` is not a whole number greater than 0'],
          ['AIO_BUILTIN_CONDITION_TYPE', 'error', 'a window condition has the wrong `type` (`duration`, `messageCount`, `bufferSize`, `expression`)'],
          ['AIO_BUILTIN_BOUNDARY_MESSAGE', 'error', '`boundaryMessage` is neither `messageInCurrent` nor `messageInNext`'],
          ['AIO_BUILTIN_WINDOW_REQUIRES_1_1_0', 'error', '`count`, `memory` or `triggers` on `graph-dataflow-window:1.0.0`; they need `:1.1.0`'],
          ['AIO_BUILTIN_WINDOW_NO_CONDITION', 'error', 'a window 1.1.0 without any of `delay`, `count`, `memory`, `triggers`'],
          ['AIO_BUILTIN_WINDOW_NO_RULES', 'error', 'a window whose `accumulate` list is empty (it would emit nothing)'],
          ['AIO_BUILTIN_WINDOW_INPUT', 'error', 'an accumulate input that is not a plain payload field (`$metadata`, `$context`, `? $last` or `??`)'],
          ['AIO_BUILTIN_DUPLICATE_OUTPUT', 'error', 'two accumulate rules write the same `output`, or one output is nested inside another'],
          ['AIO_BUILTIN_OUTPUT_PATH', 'error', 'an accumulate `output` is empty, has an empty segment, or is a `$metadata` path'],
          ['AIO_BUILTIN_THROTTLE_TOPIC', 'error', 'a throttle `topic` is not a valid MQTT filter (empty, `#` not last, `+` or `#` inside a level)'],
          ['AIO_BUILTIN_THROTTLE_DUPLICATE_TOPIC', 'error', 'two throttle rules have the same `topic`'],
          ['AIO_BUILTIN_THROTTLE_RATE', 'error', '`maxMessagesPerSecond` is negative or not finite'],
          ['AIO_BUILTIN_CONFIGURATION_IGNORED', 'warning', 'configuration on a concatenate, which has none; it is ignored'],
        ],
      },
      {
        text: 'Expressions, input strings and field paths of map, filter and branch rules (and of window rules) are reported at the character inside the string where the problem is.',
      },
      {
        findings: [
          [
            'AIO_BUILTIN_EXPR_SYNTAX',
            'error',
            'an expression is not well formed (unexpected token, unclosed string or parenthesis, integer beyond ±(2^53 − 1))',
          ],
          ['AIO_BUILTIN_EXPR_UNSUPPORTED', 'error', 'assignment, `;`, a named variable or `and`/`or`/`not`: not part of the AIO expression language'],
          ['AIO_BUILTIN_EXPR_UNKNOWN_FUNCTION', 'error', 'a function the language does not have (the hint names the closest one)'],
          ['AIO_BUILTIN_EXPR_ARITY', 'error', 'a function called with the wrong number of arguments'],
          ['AIO_BUILTIN_EXPR_INPUT_RANGE', 'error', "`$n` beyond the rule's `inputs` (or `$0`)"],
          [
            'AIO_BUILTIN_EXPR_AGGREGATION_PLACE',
            'error',
            'an aggregation function (`average`, `sum`, `count`, `first`, `last`) outside window accumulate rules',
          ],
          ['AIO_BUILTIN_EXPR_RUNNING_PLACE', 'error', 'a running function (`running_*`, `changed`, `prev`) outside window 1.1.0 triggers'],
          [
            'AIO_BUILTIN_EXPR_WINDOW_ARGUMENT',
            'error',
            'an aggregation or running function whose argument is not one bare `$n`, or a bare `$n` outside any aggregation in an accumulate rule',
          ],
          ['AIO_BUILTIN_EXPR_AGGREGATION_MISSING', 'error', 'an accumulate expression without an aggregation function'],
          ['AIO_BUILTIN_EXPR_REGEX', 'error', 'a literal regular expression that does not compile'],
          ['AIO_BUILTIN_EXPR_REGEX_PLACE', 'error', '`str::regex_*` in a window accumulate rule, where the docs do not offer it'],
          ['AIO_BUILTIN_EXPR_UNDOCUMENTED', 'warning', 'an evalexpr function the AIO docs do not list (`math::cosh`, `bitand` …): the cluster may not have it'],
          [
            'AIO_BUILTIN_EXPR_PRECEDENCE',
            'warning',
            "`-x ^ y` or a chained comparison: EXPR's precedence table and evalexpr read it differently; add parentheses",
          ],
          ['AIO_BUILTIN_PATH_SYNTAX', 'error', 'a field path with an empty segment, an unclosed quote or an unknown `$` prefix'],
          ['AIO_BUILTIN_PATH_WILDCARD', 'error', '`*` that is not a whole segment, more than one `*`, or a `*` outside map rules'],
          [
            'AIO_BUILTIN_PATH_METADATA',
            'error',
            'a `$metadata` path other than `topic`, `user_property.<key>`, `header.<key>`, `system_property.content_type`',
          ],
          ['AIO_BUILTIN_INPUT_DEFAULT', 'error', 'the default after `??` is not a number, `true`, `false`, `null` or a quoted string'],
          ['AIO_BUILTIN_INPUT_MODIFIER', 'error', 'an input modifier other than `? $last` and `?? <default>`'],
          ['AIO_BUILTIN_INPUT_PLACE', 'error', 'an input not valid where it is (`$source.` outside a dataset, a field name or modifier in dataset inputs)'],
          ['AIO_BUILTIN_UNKNOWN_ALIAS', 'error', '`$context(<alias>)` names no dataset'],
          ['AIO_BUILTIN_DATASET_KEY', 'error', 'a dataset `key` that is not `<key>` or `<key> as <alias>`, or an alias used twice'],
          [
            'AIO_BUILTIN_MAP_WILDCARD',
            'error',
            'a `*` in the output without one in the first input (or the reverse), a `*` in a later input only, or a modifier on a wildcard input',
          ],
          ['AIO_BUILTIN_MAP_PASSTHROUGH_NOT_FIRST', 'error', 'a `*` → `*` passthrough that is not the first map rule'],
          ['AIO_BUILTIN_MAP_SEVERAL_WILDCARDS', 'warning', 'more than one wildcard rule in a map (the map how-to allows one; the emulator runs them all)'],
          ['AIO_BUILTIN_MAP_REMOVAL_EXPRESSION', 'error', 'a removal rule (output `""`) with an expression'],
          ['AIO_BUILTIN_MAP_OUTPUT', 'error', 'a map output that cannot be written (`$context`, `$source`, content type)'],
          ['AIO_BUILTIN_MAP_NO_VALUE', 'error', 'a map rule with neither inputs nor an expression'],
        ],
      },
    ],
  },
];
