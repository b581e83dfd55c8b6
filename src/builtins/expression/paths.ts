/**
 * Field paths (spec §2.2, §4.8): `.`-separated segments where only `.` and a leading `"` are special
 * (`Payload."Tag.10".Value`), a whole-segment `*` wildcard (at most one), and the prefixes `$metadata.…`,
 * `$context(alias).…`, and in dataset inputs `$source.…` / `$context.…`. Problems carry offsets in the path text.
 */
import type { ExpressionProblem, FieldPath, PathSegment } from './api.js';

export type PathResult = { ok: true; path: FieldPath } | { ok: false; problems: ExpressionProblem[] };

export interface PathOptions {
  /** Whether a `*` segment is allowed (map inputs and outputs only). */
  wildcards: boolean;
}

class PathProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset: number,
    readonly length: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const METADATA_HINT = 'metadata paths are $metadata.topic, $metadata.user_property.<key>, $metadata.header.<key> and $metadata.system_property.content_type';

export function parseFieldPath(text: string, options: PathOptions): PathResult {
  try {
    return { ok: true, path: parse(text, options) };
  } catch (error) {
    if (!(error instanceof PathProblem)) throw error;
    const problem: ExpressionProblem = { code: error.code, message: error.message, offset: error.offset, length: Math.max(1, error.length), severity: 'error' };
    return { ok: false, problems: [error.hint === undefined ? problem : { ...problem, hint: error.hint }] };
  }
}

function parse(text: string, options: PathOptions): FieldPath {
  if (text.startsWith('$metadata')) return metadataPath(text);
  const context = /^\$context\(([^)]*)\)/.exec(text);
  if (context) {
    if (context[1]!.trim() === '')
      throw new PathProblem(
        'AIO_BUILTIN_PATH_SYNTAX',
        '$context() needs a dataset alias',
        0,
        context[0].length,
        'write $context(<alias>).<field>, with the alias of a `datasets` entry',
      );
    const segments = restSegments(text, context[0].length, options);
    return { kind: 'context', alias: context[1]!, segments };
  }
  if (text.startsWith('$source.') || text === '$source') return { kind: 'dataset-source', segments: restSegments(text, '$source'.length, options) };
  if (text.startsWith('$context.') || text === '$context') return { kind: 'dataset-record', segments: restSegments(text, '$context'.length, options) };
  if (text.startsWith('$')) {
    const word = /^\$[A-Za-z_]*/.exec(text)![0];
    throw new PathProblem(
      'AIO_BUILTIN_PATH_SYNTAX',
      `unknown prefix ${word}`,
      0,
      word.length,
      'paths start with a field name, $metadata., $context(<alias>). or (in dataset inputs) $source. / $context.',
    );
  }
  return { kind: 'payload', segments: segmentsOf(text, 0, options) };
}

/** The segments after a prefix, which must be followed by `.` and at least one segment. */
function restSegments(text: string, prefixLength: number, options: PathOptions): PathSegment[] {
  if (text[prefixLength] !== '.' || prefixLength + 1 >= text.length) {
    throw new PathProblem(
      'AIO_BUILTIN_PATH_SYNTAX',
      `a field path must follow ${text.slice(0, prefixLength)}`,
      0,
      prefixLength,
      `write ${text.slice(0, prefixLength)}.<field>`,
    );
  }
  return segmentsOf(text, prefixLength + 1, options);
}

function metadataPath(text: string): FieldPath {
  const fail = (message: string, offset = 0, length = text.length): never => {
    throw new PathProblem('AIO_BUILTIN_PATH_METADATA', message, offset, length, METADATA_HINT);
  };
  if (text === '$metadata.topic') return { kind: 'metadata', field: 'topic' };
  if (text === '$metadata.system_property.content_type') return { kind: 'metadata', field: 'content_type' };
  const keyed = /^\$metadata\.(user_property|header)\./.exec(text);
  if (keyed) {
    const segments = segmentsOf(text, keyed[0].length, { wildcards: false });
    if (segments.length !== 1)
      fail(`the ${keyed[1]} key has a \`.\`: quote it, e.g. $metadata.${keyed[1]}."a.b"`, keyed[0].length, text.length - keyed[0].length);
    return { kind: 'metadata', field: keyed[1] as 'user_property' | 'header', key: (segments[0] as { name: string }).name };
  }
  return fail(`unknown metadata path ${text}`);
}

/** Splits `text` from `start` into segments; quoted segments run to the next `"`. */
function segmentsOf(text: string, start: number, options: PathOptions): PathSegment[] {
  const segments: PathSegment[] = [];
  let wildcardAt = -1;
  let at = start;
  for (;;) {
    const segmentStart = at;
    let name: string;
    let quoted = false;
    if (text[at] === '"') {
      const close = text.indexOf('"', at + 1);
      if (close === -1) throw new PathProblem('AIO_BUILTIN_PATH_SYNTAX', 'the quoted segment is not closed: a " is missing', at, text.length - at);
      name = text.slice(at + 1, close);
      quoted = true;
      at = close + 1;
      if (at < text.length && text[at] !== '.')
        throw new PathProblem('AIO_BUILTIN_PATH_SYNTAX', 'a quoted segment must be followed by `.` or the end of the path', at, 1);
    } else {
      const dot = text.indexOf('.', at);
      const end = dot === -1 ? text.length : dot;
      name = text.slice(at, end);
      at = end;
    }
    if (name === '' && !quoted) {
      throw new PathProblem(
        'AIO_BUILTIN_PATH_SYNTAX',
        start === 0 && text === '' ? 'the path is empty' : 'empty segment in the path (two dots, or a dot at an end)',
        segmentStart,
        1,
      );
    }
    if (!quoted && name.includes('*')) {
      if (name !== '*')
        throw new PathProblem(
          'AIO_BUILTIN_PATH_WILDCARD',
          `\`*\` must be a whole segment, not part of "${name}"`,
          segmentStart,
          name.length,
          'write e.g. Sensors.* (a segment that is only *)',
        );
      if (!options.wildcards)
        throw new PathProblem(
          'AIO_BUILTIN_PATH_WILDCARD',
          'wildcards are allowed only in map rules',
          segmentStart,
          1,
          'name the field, or use a map transform to copy many fields',
        );
      if (wildcardAt !== -1)
        throw new PathProblem('AIO_BUILTIN_PATH_WILDCARD', 'a path may hold only one `*`', segmentStart, 1, `the first * is at character ${wildcardAt + 1}`);
      wildcardAt = segmentStart;
      segments.push({ kind: 'wildcard' });
    } else {
      segments.push({ kind: 'name', name });
    }
    if (at >= text.length) return segments;
    at++; // the '.'
    if (at >= text.length) throw new PathProblem('AIO_BUILTIN_PATH_SYNTAX', 'empty segment in the path (two dots, or a dot at an end)', at - 1, 1);
  }
}
