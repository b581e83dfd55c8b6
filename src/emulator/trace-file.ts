/**
 * Reading a trace (`output/trace.jsonl` or a `--trace-file`) back, and picking journeys out of it for `aio trace`:
 * one input's, or every journey that ended at an operation, in an outcome, or dropped or failed.
 */
import { AioError } from '../errors.js';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import type { Journey, Outcome } from './tracer.js';

export async function readTrace(file: string): Promise<Journey[]> {
  const text = await readUserTextOrThrow(file);
  const journeys: Journey[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (!isJourney(parsed)) {
      throw new AioError('AIO_TRACE_INVALID', `line ${index + 1} is not a journey written by aio emulate --trace`, {
        location: { file, line: index + 1, column: 1 },
        hint: 'Point at output/trace.jsonl of a data-folder run, or at the file given to --trace-file.',
      });
    }
    journeys.push(parsed);
  }
  return journeys;
}

export interface TraceQuery {
  /** The input's name (a data file's path in the folder, or an MQTT topic), or its `__ts`. */
  input?: string | undefined;
  /** Journeys with a path that ended at this operation. */
  at?: string | undefined;
  /** Journeys with a path that ended in this outcome. */
  outcome?: Outcome | undefined;
  /** Journeys where something was dropped (filtered out counts) or failed. */
  dropped?: boolean;
  errors?: boolean;
}

export function selectJourneys(journeys: readonly Journey[], query: TraceQuery): Journey[] {
  return journeys.filter((journey) => {
    if (query.input !== undefined && journey.input !== query.input && journey.ts !== query.input) return false;
    if (query.at !== undefined && !journey.ends.some((end) => end.operation === query.at)) return false;
    if (query.outcome !== undefined && !journey.ends.some((end) => end.outcome === query.outcome)) return false;
    if (query.dropped && !journey.ends.some((end) => end.outcome === 'dropped' || end.outcome === 'filtered')) return false;
    if (query.errors && !journey.ends.some((end) => end.outcome === 'error')) return false;
    return true;
  });
}

function isJourney(value: unknown): value is Journey {
  const journey = value as Journey;
  return typeof journey === 'object' && journey !== null && typeof journey.input === 'string' && Array.isArray(journey.steps) && Array.isArray(journey.ends);
}
