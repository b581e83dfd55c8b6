/**
 * A recording as one case of a `*.cases.yaml` file: its `input:` holds the messages as they arrived (topic, user
 * properties, content type, the payload parsed when that round-trips exactly, `ts:` from a recorded `__ts`, else
 * `at:` the ms since the first message) and `expect: { sink: [] }`, which `aio test --update` fills in. A new file
 * names the graph it tests; an existing file gets the case appended, its comments and other cases kept.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { AioError } from '../errors.js';
import { exactJson, payloadText, type RecordedMessage } from './recorded-message.js';

export interface CasesTarget {
  file: string;
  /** The graph or pipeline manifest a new file tests; not needed to append to an existing one. */
  graph: string | undefined;
  caseName: string;
}

export async function writeRecordedCase(target: CasesTarget, messages: readonly RecordedMessage[]): Promise<void> {
  if (messages.length === 0) {
    throw new AioError('AIO_RECORD_NOTHING', 'no message arrived, so there is no case to write', {
      hint: 'check the topic filter and that something publishes there while aio record runs (--for longer, or --count)',
    });
  }
  const document = existsSync(target.file) ? await existingCases(target.file) : newCases(target);
  const theCase = document.createNode({ name: target.caseName, input: messages.map(inputOf), expect: { sink: [] } });
  (document.get('cases') as { add(node: unknown): void }).add(theCase);
  await mkdir(dirname(resolve(target.file)), { recursive: true });
  await writeFile(target.file, document.toString({ lineWidth: 0 }));
}

/** Checked before recording starts, so a missing `--graph` does not cost a recording. */
export function checkCasesTarget(target: Omit<CasesTarget, 'caseName'>): void {
  if (target.graph === undefined && !existsSync(target.file)) {
    throw new AioError('AIO_RECORD_CASES_NEED_GRAPH', `${target.file} does not exist yet, and a new cases file names the graph it tests`, {
      hint: 'pass --graph <graph.dataflow.yaml | pipeline manifest>',
    });
  }
}

function newCases(target: CasesTarget): Document {
  checkCasesTarget(target);
  const graph = relative(dirname(resolve(target.file)), resolve(target.graph!)) || '.';
  return parseDocument(`# Recorded by aio record; \`aio test --update\` writes the expectations.\ngraph: ${JSON.stringify(graph)}\ncases: []\n`);
}

async function existingCases(file: string): Promise<Document> {
  const document = parseDocument(await readFile(file, 'utf8'));
  if (document.errors.length > 0 || !isMap(document.contents) || !isSeq(document.get('cases'))) {
    throw new AioError('AIO_RECORD_CASES_UNREADABLE', `${file} is not a cases file with a cases: list to append to`, {
      hint: 'name a new file, or fix this one (aio test schema prints the format)',
    });
  }
  return document;
}

function inputOf(message: RecordedMessage, index: number, all: readonly RecordedMessage[]): Record<string, unknown> {
  const text = payloadText(message.payload);
  if (text === undefined) {
    throw new AioError(
      'AIO_RECORD_BINARY_PAYLOAD',
      `message ${index + 1} (topic ${message.topic}) has a payload that is not UTF-8 text, which a cases file cannot hold`,
      {
        hint: 'record into a data folder instead: --out <folder>',
      },
    );
  }
  const ts = message.userProperties.find(([key]) => key === '__ts')?.[1];
  const usableTs = ts !== undefined && /^\d{1,16}:\d{1,10}:/.test(ts) ? ts : undefined;
  // A cases file holds user properties as a map: a repeated key keeps its last value.
  const userProperties = Object.fromEntries(message.userProperties.filter(([key]) => key !== '__ts' || usableTs === undefined));
  const json = exactJson(text);
  return {
    topic: message.topic,
    ...(usableTs === undefined ? { at: message.receivedAt - all[0]!.receivedAt } : { ts: usableTs }),
    ...(Object.keys(userProperties).length === 0 ? {} : { userProperties }),
    ...(message.contentType === undefined ? {} : { contentType: message.contentType }),
    payload: json ?? text,
  };
}
