/**
 * `aio test --update` for `*.cases.yaml`: rewrites each case's expectations from what its run observed, keeping
 * the fields each list already compared (payload when none), and every comment and everything else in the file.
 */
import { writeFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import type { CaseFile, ExpectedMessage } from './case-file.js';
import type { Incident, Observation } from './case-expectations.js';
import type { ObservedMessage } from './observed-message.js';

export async function rewriteExpectations(caseFile: CaseFile, observations: ReadonlyMap<number, Observation>): Promise<void> {
  const document = parseDocument(await readUserTextOrThrow(caseFile.file));
  for (const graphCase of caseFile.cases) {
    const observed = observations.get(graphCase.index);
    if (observed === undefined) continue;
    const path = ['cases', graphCase.index, 'expect'];
    document.setIn(
      [...path, 'sink'],
      observed.sink.map((m) => reduceTo(m, fieldsOf(graphCase.expect.sink))),
    );
    for (const tap of graphCase.expect.taps) {
      document.setIn(
        [...path, 'taps', tap.key],
        (observed.taps.get(tap.key) ?? []).map((m) => reduceTo(m, fieldsOf(tap.expected))),
      );
    }
    if (graphCase.expect.dropped !== undefined) document.setIn([...path, 'dropped'], observed.dropped.map(incident));
    if (graphCase.expect.errors !== undefined || observed.errors.length > 0) document.setIn([...path, 'errors'], observed.errors.map(incident));
  }
  await writeFile(caseFile.file, document.toString({ lineWidth: 0 }));
}

/** The fields an expectation list compares: the union of what its messages name, or just the payload. */
function fieldsOf(expected: readonly ExpectedMessage[] | undefined): string[] {
  const fields = new Set((expected ?? []).flatMap((m) => Object.keys(m)));
  return fields.size === 0 ? ['payload'] : [...fields];
}

function reduceTo(message: ObservedMessage, fields: readonly string[]): Record<string, unknown> {
  const all = message as unknown as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => all[f] !== undefined).map((f) => [f, all[f]]));
}

function incident(i: Incident): Record<string, unknown> {
  return { operation: i.operation, reason: i.reason };
}
