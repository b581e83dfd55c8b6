/**
 * JSON Schema (draft-07) of aio's own graph test format, `*.cases.yaml`: what the AIO descriptor format cannot
 * say. `aio test schema` prints it for editors; the loader checks every file against it with line:column findings.
 */
const json = { description: 'any YAML value; objects and lists are sent as JSON text, strings as they are' };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const time = {
  at: { type: 'number', minimum: 0, description: 'virtual time of the item, in ms after the case starts (2025-01-01T00:00:00Z)' },
  ts: {
    type: 'string',
    pattern: '^\\d{1,16}:\\d{1,10}:.*$',
    description: "the item's timestamp as an __ts user property: <ms since epoch>:<counter>:<node id>",
  },
};

const mqttFields = {
  topic: { type: 'string' },
  payload: json,
  userProperties: { ...stringMap, description: 'MQTT 5 user properties (__ts is the timestamp; write ts: or at: instead)' },
  contentType: { type: 'string' },
  correlationData: { type: 'string', description: 'UTF-8 text of the correlation data' },
  responseTopic: { type: 'string' },
  messageExpiry: { type: 'integer', minimum: 0, description: 'message expiry interval, seconds' },
  payloadFormat: { enum: ['utf8', 'bytes'], description: 'payload format indicator: utf8 = 1, bytes = 0' },
};

const inputMessage = {
  type: 'object',
  additionalProperties: false,
  required: ['payload'],
  properties: { ...mqttFields, ...time },
};

/** An expected message lists only the fields it cares about; the others are not compared. */
const expectedMessage = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    ...mqttFields,
    ...time,
    destination: { type: 'string', description: "a pipeline's Destination node that published the message (for a pipeline with several)" },
  },
};

const messages = { type: 'array', items: expectedMessage };

const incident = (what: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['operation'],
  properties: {
    operation: { type: 'string', description: `the operation that ${what}` },
    reason: { type: 'string', description: 'a part of the reason (e.g. "filtered out", "late", the module\'s error text)' },
    at: time.at,
  },
});

const caseSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'input', 'expect'],
  properties: {
    name: { type: 'string', minLength: 1 },
    parameters: { ...stringMap, description: "over the file's parameters: <key> for every operation declaring it, or <operation>.<key>" },
    stateStore: { type: 'object', description: "seed of the state store (key → value; non-strings are stored as JSON), replaces the file's" },
    input: {
      type: 'array',
      minItems: 1,
      items: inputMessage,
      description: 'messages entering the source, in arrival order (times may go backwards: out of order, late)',
    },
    expect: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        sink: { ...messages, description: 'every message the sink receives' },
        order: { enum: ['strict', 'any'], description: 'strict (default): sink and taps in this order; any: the same messages in any order' },
        taps: { type: 'object', additionalProperties: messages, description: '"<from> -> <to>": every message along that connection' },
        dropped: { type: 'array', items: incident('dropped the item'), description: 'every drop, when given (unchecked otherwise)' },
        errors: { type: 'array', items: incident('failed'), description: 'every module error or trap; a case without errors: fails on any' },
      },
    },
  },
};

export const casesSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'aio graph test cases (*.cases.yaml)',
  type: 'object',
  additionalProperties: false,
  required: ['graph', 'cases'],
  properties: {
    graph: { type: 'string', description: 'graph definition, relative to this file' },
    timeout: { type: 'number', exclusiveMinimum: 0, description: 'ms per case (default 30000)' },
    parameters: { ...stringMap, description: 'parameter values for every case: <key> for every operation declaring it, or <operation>.<key>' },
    stateStore: { type: 'object', description: "state store seed for every case (default: the workspace's statestore.json)" },
    cases: { type: 'array', minItems: 1, items: caseSchema },
  },
} as const;
