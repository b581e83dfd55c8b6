/**
 * The graph of a new workspace (source → the operator → sink), and adding an operator before the sink of an
 * existing graph. Edits go through the YAML document, so the user's comments and layout survive.
 */
import { isMap, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { AioError } from '../errors.js';
import type { OperatorKind } from '../workspace/operator-manifest.js';
import { KIND_TEMPLATES, operationName } from './operator-kinds.js';

export function initialGraph(workspace: string, name: string, kind: OperatorKind): string {
  const op = operationName(name, kind);
  const param = KIND_TEMPLATES[kind].parameter;
  const branch = kind === 'branch';
  return `# ${workspace}: messages from the source go through the ${name} ${kind} operator to the sink.
# Check it with \`aio graph validate\`, run it with \`aio emulate --data data\`.
metadata:
  $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json"
  name: ${JSON.stringify(workspace)}
  description: ${JSON.stringify(`source → ${name} (${kind}) → sink`)}
  version: "1.0.0"
  vendor: ${JSON.stringify(workspace)}

moduleRequirements:
  apiVersion: "1.1.0"
  runtimeVersion: "1.1.0"

moduleConfigurations:
  - name: ${op}
    parameters:
      ${param.key}:
        name: ${param.key}
        description: ${JSON.stringify(param.description)}
        default: ${JSON.stringify(param.default)}

operations:
  - operationType: source
    name: source
  - operationType: ${kind}
    name: ${op}
    module: "${name}:1.0.0"
${branch ? '  - operationType: concatenate\n    name: merge\n' : ''}  - operationType: sink
    name: sink

connections:
  - from: { name: source }
    to: { name: ${op} }
${
  branch
    ? `  - from: { name: ${op}, arm: "True" }
    to: { name: merge }
  - from: { name: ${op}, arm: "False" }
    to: { name: merge }
  - from: { name: merge }
    to: { name: sink }
`
    : `  - from: { name: ${op} }
    to: { name: sink }
`
}`;
}

/**
 * Inserts the operator on the way into the sink: every connection that ended at the sink now ends at the new
 * operation, which connects to the sink (a branch through a new concatenate, so both arms arrive).
 */
export function addOperatorToGraph(text: string, file: string, name: string, kind: OperatorKind): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw notEditable(file, `it is not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  const operations = doc.get('operations');
  const connections = doc.get('connections');
  if (!isSeq(operations) || !isSeq(connections)) throw notEditable(file, 'it has no operations or connections list');
  const sink = (operations as YAMLSeq).items.find((item) => isMap(item) && item.get('operationType') === 'sink') as YAMLMap | undefined;
  if (sink === undefined) throw notEditable(file, 'it has no sink operation');
  const sinkName = String(sink.get('name'));
  const op = operationName(name, kind);
  if ((operations as YAMLSeq).items.some((item) => isMap(item) && item.get('name') === op)) {
    throw new AioError('AIO_OPERATOR_IN_GRAPH', `${file} already has an operation named ${op}`, {
      hint: 'Choose another operator name, or wire the operator in by hand.',
    });
  }
  for (const item of (connections as YAMLSeq).items) {
    if (!isMap(item)) continue;
    const to = item.get('to');
    if (isMap(to) && to.get('name') === sinkName) to.set('name', op);
  }
  const sinkIndex = (operations as YAMLSeq).items.indexOf(sink);
  const added = [doc.createNode({ operationType: kind, name: op, module: `${name}:1.0.0` })];
  const links: unknown[] = [];
  if (kind === 'branch') {
    const merge = `merge-${name}`;
    added.push(doc.createNode({ operationType: 'concatenate', name: merge }));
    links.push(
      { from: { name: op, arm: 'True' }, to: { name: merge } },
      { from: { name: op, arm: 'False' }, to: { name: merge } },
      { from: { name: merge }, to: { name: sinkName } },
    );
  } else {
    links.push({ from: { name: op }, to: { name: sinkName } });
  }
  (operations as YAMLSeq).items.splice(sinkIndex, 0, ...added);
  for (const link of links) (connections as YAMLSeq).items.push(flowEnds(doc, link));
  addConfiguration(doc, op, kind);
  return doc.toString();
}

/** `{ from: { name: … }, to: { name: … } }` written in flow style for the ends, as the samples do. */
function flowEnds(doc: Document, link: unknown): unknown {
  const node = doc.createNode(link) as YAMLMap;
  for (const key of ['from', 'to']) {
    const end = node.get(key);
    if (isMap(end)) end.flow = true;
  }
  return node;
}

function addConfiguration(doc: Document, op: string, kind: OperatorKind): void {
  const param = KIND_TEMPLATES[kind].parameter;
  const entry = { name: op, parameters: { [param.key]: { name: param.key, description: param.description, default: param.default } } };
  const configurations = doc.get('moduleConfigurations');
  if (isSeq(configurations)) (configurations as YAMLSeq).items.push(doc.createNode(entry));
  else doc.set('moduleConfigurations', doc.createNode([entry]));
}

function notEditable(file: string, why: string): AioError {
  return new AioError('AIO_GRAPH_NOT_EDITABLE', `cannot add the operator to ${file}: ${why}`, {
    hint: 'Fix the graph (`aio graph validate`), or add the operator without --add-to-graph and wire it in by hand.',
  });
}
