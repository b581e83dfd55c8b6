/**
 * JSON Schema (draft-07) of a graph definition, written from the published facts of
 * `aio-wasm-graph-config-1.0.0.json`. Printed by `aio graph schema` for editors. Rules the schema cannot express
 * (names that must exist, cycles, branch arms) live in `rules/`.
 */

const nullableString = { type: ['string', 'null'] } as const;

export const GRAPH_SCHEMA_ID = 'https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json';

export const graphSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: GRAPH_SCHEMA_ID,
  title: 'Azure IoT Operations data flow graph definition',
  type: 'object',
  required: ['metadata', 'moduleRequirements', 'operations', 'connections'],
  additionalProperties: false,
  properties: {
    metadata: {
      type: 'object',
      required: ['$schema', 'name', 'version'],
      additionalProperties: false,
      properties: {
        $schema: { type: 'string' },
        name: { type: 'string' },
        version: { type: 'string' },
        description: nullableString,
        vendor: nullableString,
      },
    },
    moduleRequirements: {
      type: 'object',
      required: ['apiVersion', 'runtimeVersion'],
      additionalProperties: false,
      properties: {
        apiVersion: { type: 'string' },
        runtimeVersion: { type: 'string' },
        features: {
          type: ['array', 'null'],
          items: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: { name: { type: 'string' }, value: nullableString },
          },
        },
      },
    },
    moduleConfigurations: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        required: ['name', 'parameters'],
        properties: {
          name: { type: 'string' },
          parameters: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['name'],
              properties: {
                name: { type: 'string' },
                description: nullableString,
                required: { type: 'boolean', default: false },
                default: nullableString,
              },
            },
          },
        },
      },
    },
    operations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'operationType'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          operationType: { enum: ['source', 'map', 'filter', 'branch', 'concatenate', 'accumulate', 'delay', 'sink'] },
          module: nullableString,
        },
      },
    },
    connections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['from', 'to'],
        additionalProperties: false,
        properties: {
          from: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: { type: 'string' },
              arm: { enum: ['False', 'True', null] },
              schemaName: nullableString,
            },
          },
          to: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: { name: { type: 'string' } },
          },
        },
      },
    },
    schemas: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        required: ['name', 'format', 'schema'],
        properties: { name: { type: 'string' }, format: { type: 'string' }, schema: { type: 'string' } },
      },
    },
  },
} as const;
