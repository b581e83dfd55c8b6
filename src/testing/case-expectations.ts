/** A case's expectations against what the run observed; every mismatch carries the path of the expectation. */
import type { GraphCase, ExpectedIncident, ExpectedMessage } from './case-file.js';
import { diff, type Mismatch } from './compare.js';
import type { ObservedMessage } from './observed-message.js';

export interface Incident {
  operation: string;
  reason: string;
  /** Virtual ms of the item; absent when the failure is not about one item. */
  at?: number;
}

export interface Observation {
  sink: ObservedMessage[];
  /** By tap key as written. */
  taps: Map<string, ObservedMessage[]>;
  dropped: Incident[];
  errors: Incident[];
}

export function checkCase(graphCase: GraphCase, observed: Observation): Mismatch[] {
  const { expect } = graphCase;
  const out: Mismatch[] = [];
  if (expect.sink !== undefined) out.push(...listMismatches(expect.sink, observed.sink, 'expect.sink', expect.order));
  for (const tap of expect.taps) out.push(...listMismatches(tap.expected, observed.taps.get(tap.key) ?? [], `expect.taps["${tap.key}"]`, expect.order));
  if (expect.dropped !== undefined) out.push(...incidentMismatches(expect.dropped, observed.dropped, 'expect.dropped'));
  // Module errors are never silently fine: a case that does not list them expects none.
  out.push(...incidentMismatches(expect.errors ?? [], observed.errors, 'expect.errors'));
  return out;
}

/** Only the fields an expected message lists are compared; a string payload may match the exact text. */
export function messageMismatches(expected: ExpectedMessage, actual: ObservedMessage, path: string): Mismatch[] {
  const out: Mismatch[] = [];
  for (const [key, want] of Object.entries(expected)) {
    if (key === 'payload') {
      if (!(typeof want === 'string' && want === actual.payloadText)) out.push(...diff(want, actual.payload, `${path}.payload`));
    } else if (key === 'userProperties') {
      for (const [name, value] of Object.entries(want as Record<string, string>)) {
        if (actual.userProperties[name] !== value) out.push({ path: `${path}.userProperties.${name}`, expected: value, actual: actual.userProperties[name] });
      }
    } else {
      out.push(...diff(want, (actual as unknown as Record<string, unknown>)[key], `${path}.${key}`));
    }
  }
  return out;
}

function listMismatches(expected: ExpectedMessage[], actual: ObservedMessage[], path: string, order: 'strict' | 'any'): Mismatch[] {
  const out: Mismatch[] = [];
  if (order === 'strict') {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= actual.length) out.push({ path: `${path}[${i}]`, expected: expected[i], actual: undefined });
      else if (i >= expected.length) out.push({ path: `${path}[${i}]`, expected: undefined, actual: brief(actual[i]!) });
      else out.push(...messageMismatches(expected[i]!, actual[i]!, `${path}[${i}]`));
    }
    return out;
  }
  const remaining = [...actual];
  expected.forEach((want, i) => {
    const index = remaining.findIndex((a) => messageMismatches(want, a, '').length === 0);
    if (index === -1)
      out.push({
        path: `${path}[${i}]`,
        expected: want,
        actual: remaining.length === 0 ? undefined : `(none of the ${remaining.length} unmatched message(s) matches)`,
      });
    else remaining.splice(index, 1);
  });
  for (const extra of remaining) out.push({ path: `${path}[+]`, expected: undefined, actual: brief(extra) });
  return out;
}

/** Drops and errors match in any order; reason is a case-insensitive part of the actual reason. */
function incidentMismatches(expected: readonly ExpectedIncident[], actual: readonly Incident[], path: string): Mismatch[] {
  const out: Mismatch[] = [];
  const remaining = [...actual];
  expected.forEach((want, i) => {
    const index = remaining.findIndex(
      (a) =>
        a.operation === want.operation &&
        (want.reason === undefined || a.reason.toLowerCase().includes(want.reason.toLowerCase())) &&
        (want.at === undefined || a.at === want.at),
    );
    if (index === -1) out.push({ path: `${path}[${i}]`, expected: want, actual: undefined });
    else remaining.splice(index, 1);
  });
  for (const extra of remaining) out.push({ path: `${path}[+]`, expected: undefined, actual: extra });
  return out;
}

/** What a failure report shows of an unexpected message. */
function brief(message: ObservedMessage): Record<string, unknown> {
  return { topic: message.topic, payload: message.payload, at: message.at };
}
