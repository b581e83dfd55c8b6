import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { PLACEHOLDER } from './placeholders.js';
import { positionOf, type SourceDocument } from '../yaml/parse-document.js';
import { asMap, keyOf, scalarString, scalarText, valueOf } from '../yaml/node-readers.js';
import {
  OPERATION_TYPES,
  type Arm,
  type Connection,
  type Graph,
  type Located,
  type ModuleConfiguration,
  type ModuleFeature,
  type Operation,
  type OperationType,
  type Parameter,
  type Placeholder,
  type SchemaDefinition,
} from './model.js';

/**
 * Builds the graph model from the YAML syntax tree, keeping each element's position. Lenient by design: it takes
 * what is well-formed and skips what is not (the schema check reports that), so the semantic rules can still run
 * and the user sees every problem at once.
 */
export function buildGraphModel(file: string, source: SourceDocument): Graph {
  const root = asMap(source, source.doc.contents);
  const metadata = asMap(source, valueOf(source, root, 'metadata'));
  const requirements = asMap(source, valueOf(source, root, 'moduleRequirements'));
  return {
    file,
    metadata: {
      schema: scalarString(source, valueOf(source, metadata, '$schema')),
      name: scalarString(source, valueOf(source, metadata, 'name')),
      version: scalarString(source, valueOf(source, metadata, 'version')),
      description: scalarString(source, valueOf(source, metadata, 'description')),
      vendor: scalarString(source, valueOf(source, metadata, 'vendor')),
    },
    apiVersion: located(source, valueOf(source, requirements, 'apiVersion')),
    runtimeVersion: located(source, valueOf(source, requirements, 'runtimeVersion')),
    features: mapItems(source, valueOf(source, requirements, 'features'), readFeature),
    operations: mapItems(source, valueOf(source, root, 'operations'), readOperation),
    connections: mapItems(source, valueOf(source, root, 'connections'), readConnection),
    moduleConfigurations: mapItems(source, valueOf(source, root, 'moduleConfigurations'), readModuleConfiguration),
    schemas: mapItems(source, valueOf(source, root, 'schemas'), readSchema),
    placeholders: findPlaceholders(source),
  };
}

type ItemReader<T> = (source: SourceDocument, map: YAMLMap, index: number) => T | undefined;

function mapItems<T>(source: SourceDocument, node: Node | null, read: ItemReader<T>): T[] {
  if (!isSeq(node)) return [];
  const out: T[] = [];
  node.items.forEach((item, index) => {
    const map = asMap(source, item as Node);
    if (map === null) return;
    const value = read(source, map, index);
    if (value !== undefined) out.push(value);
  });
  return out;
}

function readOperation(source: SourceDocument, map: YAMLMap): Operation | undefined {
  const nameNode = valueOf(source, map, 'name');
  const name = scalarText(source, nameNode);
  if (name === undefined) return undefined;
  const typeNode = valueOf(source, map, 'operationType');
  const typeText = scalarString(source, typeNode);
  const moduleNode = valueOf(source, map, 'module');
  const pos = positionOf(source, map);
  return {
    name,
    type: OPERATION_TYPES.includes(typeText as OperationType) ? (typeText as OperationType) : undefined,
    module: scalarString(source, moduleNode),
    pos,
    namePos: positionOf(source, nameNode, pos),
    typePos: positionOf(source, typeNode ?? keyOf(map, 'operationType'), pos),
    modulePos: moduleNode === null && keyOf(map, 'module') === undefined ? undefined : positionOf(source, moduleNode ?? keyOf(map, 'module'), pos),
  };
}

function readConnection(source: SourceDocument, map: YAMLMap, index: number): Connection | undefined {
  const fromMap = asMap(source, valueOf(source, map, 'from'));
  const toMap = asMap(source, valueOf(source, map, 'to'));
  const fromNameNode = valueOf(source, fromMap, 'name');
  const toNameNode = valueOf(source, toMap, 'name');
  const fromName = scalarText(source, fromNameNode);
  const toName = scalarText(source, toNameNode);
  if (fromName === undefined || toName === undefined) return undefined;
  const armNode = valueOf(source, fromMap, 'arm');
  return {
    index,
    pos: positionOf(source, map),
    from: {
      name: fromName,
      pos: positionOf(source, fromNameNode),
      arm: readArm(armNode),
      armPos: armNode === null ? undefined : positionOf(source, armNode),
      schemaName: scalarString(source, valueOf(source, fromMap, 'schemaName')),
    },
    to: { name: toName, pos: positionOf(source, toNameNode) },
  };
}

/** "True"/"False" as the schema wants, and also what an unquoted boolean or a lower-case word clearly meant. */
function readArm(node: Node | null): Arm | undefined {
  if (!isScalar(node)) return undefined;
  const text = String(node.value).toLowerCase();
  if (text === 'true') return 'True';
  if (text === 'false') return 'False';
  return undefined;
}

function readModuleConfiguration(source: SourceDocument, map: YAMLMap): ModuleConfiguration | undefined {
  const nameNode = valueOf(source, map, 'name');
  const name = scalarText(source, nameNode);
  if (name === undefined) return undefined;
  const parametersMap = asMap(source, valueOf(source, map, 'parameters'));
  const parameters: Parameter[] = [];
  for (const pair of parametersMap?.items ?? []) {
    const id = scalarText(source, pair.key as Node);
    const body = asMap(source, pair.value as Node | null);
    if (id === undefined || body === null) continue;
    const requiredNode = valueOf(source, body, 'required');
    parameters.push({
      id,
      name: scalarString(source, valueOf(source, body, 'name')) ?? id,
      description: scalarString(source, valueOf(source, body, 'description')),
      required: isScalar(requiredNode) && requiredNode.value === true,
      default: scalarString(source, valueOf(source, body, 'default')),
      pos: positionOf(source, pair.key as Node),
    });
  }
  const pos = positionOf(source, map);
  return { name, parameters, pos, namePos: positionOf(source, nameNode, pos) };
}

function readFeature(source: SourceDocument, map: YAMLMap): ModuleFeature | undefined {
  const name = scalarString(source, valueOf(source, map, 'name'));
  return name === undefined ? undefined : { name, value: scalarString(source, valueOf(source, map, 'value')) };
}

function readSchema(source: SourceDocument, map: YAMLMap): SchemaDefinition | undefined {
  const name = scalarString(source, valueOf(source, map, 'name'));
  const format = scalarString(source, valueOf(source, map, 'format'));
  const schema = scalarString(source, valueOf(source, map, 'schema'));
  if (name === undefined || format === undefined || schema === undefined) return undefined;
  return { name, format, schema, pos: positionOf(source, map) };
}

/** Every `${VAR}` in a string value, with the dotted path of the value: release pipelines fill these in. */
function findPlaceholders(source: SourceDocument): Placeholder[] {
  const found: Placeholder[] = [];
  const visit = (resolved: unknown, path: string): void => {
    // Aliases are not followed: the placeholder is reported once, where its anchor is written.
    if (isScalar(resolved) && typeof resolved.value === 'string') {
      for (const match of resolved.value.matchAll(PLACEHOLDER)) {
        found.push({ variable: match[1]!, path, pos: positionOf(source, resolved) });
      }
    } else if (isMap(resolved)) {
      for (const pair of resolved.items as Pair[]) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        visit(pair.value, path === '' ? key : `${path}.${key}`);
      }
    } else if (isSeq(resolved)) {
      resolved.items.forEach((item, index) => visit(item, `${path}[${index}]`));
    }
  };
  visit(source.doc.contents, '');
  return found;
}

function located(source: SourceDocument, node: Node | null): Located<string> | undefined {
  const value = scalarString(source, node);
  return value === undefined ? undefined : { value, pos: positionOf(source, node) };
}
