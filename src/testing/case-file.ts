/**
 * aio's own graph test format, `*.cases.yaml`: many cases for one graph, each with inline input messages
 * (timestamps, topics, MQTT 5 properties, in any order), parameter overrides, a state store seed, and
 * expectations on the sink, on any connection (taps), on drops and on errors. Schema: case-schema.ts.
 */
import { Ajv } from 'ajv';
import { dirname, resolve } from 'node:path';
import type { Position } from '../diagnostics.js';
import { finding } from '../diagnostics.js';
import { hlcFromMillis, parseTs, type Hlc } from '../engine/hlc.js';
import { createMessage, type Message } from '../engine/message.js';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import { FindingsError } from '../findings-error.js';
import { nodeAtPath, parseYaml, positionOf, type SourceDocument } from '../yaml/parse-document.js';
import { schemaFindings } from '../yaml/schema-findings.js';
import { casesSchema } from './case-schema.js';

/** 2025-01-01T00:00:00Z: the virtual time every case starts at, in both test formats. */
export const VIRTUAL_EPOCH_MS = Date.UTC(2025, 0, 1);
/** Node id of timestamps the test clock assigns. */
const TEST_NODE_ID = 'aio-test';
const DEFAULT_TOPIC = 'sensors';
const DEFAULT_TIMEOUT_MS = 30_000;

/** An expectation as written: only the fields it lists are compared. */
export type ExpectedMessage = Record<string, unknown>;

export interface ExpectedIncident {
  operation: string;
  reason?: string;
  at?: number;
}

export interface Tap {
  /** As written: `<from> -> <to>`. */
  key: string;
  from: string;
  to: string;
  expected: ExpectedMessage[];
  pos: Position;
}

export interface GraphCase {
  name: string;
  /** Index in `cases:`, for --update. */
  index: number;
  pos: Position;
  /** `<key>` (every operation declaring it) or `<operation>.<key>` → value; the file's, then the case's. */
  parameters: Record<string, string>;
  /** Replaces statestore.json when set. */
  stateStore: Array<[string, string]> | undefined;
  input: Message[];
  expect: {
    sink: ExpectedMessage[] | undefined;
    order: 'strict' | 'any';
    taps: Tap[];
    dropped: ExpectedIncident[] | undefined;
    errors: ExpectedIncident[] | undefined;
  };
}

export interface CaseFile {
  file: string;
  graph: string;
  timeoutMs: number;
  cases: GraphCase[];
}

export const CASES_FILE = /\.cases\.ya?ml$/i;

/** How a tap names a connection, and how the runner matches the graph's connections against it. */
export function connectionKey(from: string, to: string): string {
  return `${from} -> ${to}`;
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(casesSchema);

export async function loadCaseFile(file: string): Promise<CaseFile> {
  const parsed = parseYaml(await readUserTextOrThrow(file));
  if (!parsed.ok) throw new FindingsError('AIO_TEST_BAD_CASES', file, parsed.findings, `${file} is not valid YAML`, 'fix the YAML at the position above');
  const findings = schemaFindings(parsed.source, parsed.value, validate, casesSchema);
  if (findings.length > 0)
    throw new FindingsError(
      'AIO_TEST_BAD_CASES',
      file,
      findings,
      `${file} is not a valid test case file`,
      'fix it at the positions above; `aio test schema` prints the format',
    );
  const raw = parsed.value as RawFile;
  const at = (path: Array<string | number>): Position => {
    const { node, keyNode } = nodeAtPath(parsed.source, path);
    return positionOf(parsed.source, node ?? keyNode);
  };
  const cases = raw.cases.map((c, index) => toCase(c, index, raw, parsed.source, at, file));
  return { file, graph: resolve(dirname(file), raw.graph), timeoutMs: raw.timeout ?? DEFAULT_TIMEOUT_MS, cases };
}

interface RawMessage extends Record<string, unknown> {
  payload: unknown;
  topic?: string;
  at?: number;
  ts?: string;
  userProperties?: Record<string, string>;
  contentType?: string;
  correlationData?: string;
  responseTopic?: string;
  messageExpiry?: number;
  payloadFormat?: 'utf8' | 'bytes';
}

interface RawCase {
  name: string;
  parameters?: Record<string, string>;
  stateStore?: Record<string, unknown>;
  input: RawMessage[];
  expect: {
    sink?: ExpectedMessage[];
    order?: 'strict' | 'any';
    taps?: Record<string, ExpectedMessage[]>;
    dropped?: ExpectedIncident[];
    errors?: ExpectedIncident[];
  };
}

interface RawFile {
  graph: string;
  timeout?: number;
  parameters?: Record<string, string>;
  stateStore?: Record<string, unknown>;
  cases: RawCase[];
}

function toCase(raw: RawCase, index: number, file: RawFile, source: SourceDocument, at: (path: Array<string | number>) => Position, path: string): GraphCase {
  const seed = raw.stateStore ?? file.stateStore;
  const taps = Object.entries(raw.expect.taps ?? {}).map(([key, expected]) => {
    const pos = positionOf(source, nodeAtPath(source, ['cases', index, 'expect', 'taps', key]).keyNode);
    const parts = key.split('->').map((p) => p.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new FindingsError(
        'AIO_TEST_BAD_CASES',
        path,
        [
          finding(
            'error',
            'AIO_TEST_BAD_TAP',
            pos,
            `tap "${key}" is not "<from> -> <to>"`,
            'name a connection of the graph, e.g. "module-thermostat/filter -> module-thermostat/branch"',
          ),
        ],
        `${path} is not a valid test case file`,
        'fix it at the position above',
      );
    }
    return { key, from: parts[0], to: parts[1], expected, pos };
  });
  return {
    name: raw.name,
    index,
    pos: at(['cases', index]),
    parameters: { ...file.parameters, ...raw.parameters },
    stateStore: seed === undefined ? undefined : Object.entries(seed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    input: inputMessages(raw.input),
    expect: { sink: raw.expect.sink, order: raw.expect.order ?? 'strict', taps, dropped: raw.expect.dropped, errors: raw.expect.errors },
  };
}

/**
 * Input messages in arrival order. `ts` is taken as written; `at` is ms after the virtual epoch; a message with
 * neither arrives at the time of the one before it. The counter (the arrival index) orders equal times.
 */
function inputMessages(raw: RawMessage[]): Message[] {
  let lastMs = VIRTUAL_EPOCH_MS;
  return raw.map((m, index) => {
    let timestamp: Hlc;
    if (m.ts !== undefined) timestamp = parseTs(m.ts)!;
    else {
      if (m.at !== undefined) lastMs = VIRTUAL_EPOCH_MS + m.at;
      timestamp = hlcFromMillis(lastMs, index, TEST_NODE_ID);
    }
    return createMessage({
      timestamp,
      topic: m.topic ?? DEFAULT_TOPIC,
      payload: payloadText(m.payload),
      userProperties: Object.entries(m.userProperties ?? {}),
      ...(m.contentType === undefined ? {} : { contentType: m.contentType }),
      mqtt: {
        qos: 1,
        ...(m.payloadFormat === undefined ? {} : { payloadFormatIndicator: m.payloadFormat === 'utf8' }),
        ...(m.messageExpiry === undefined ? {} : { messageExpiryInterval: m.messageExpiry }),
        ...(m.responseTopic === undefined ? {} : { responseTopic: m.responseTopic }),
        ...(m.correlationData === undefined ? {} : { correlationData: new TextEncoder().encode(m.correlationData) }),
      },
    });
  });
}

/** Objects, lists, numbers and booleans are sent as JSON text; a string is sent as it is. */
export function payloadText(payload: unknown): string {
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}
