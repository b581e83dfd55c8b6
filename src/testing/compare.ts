/** Reducing sink messages to the fields a test looks at, and a diff that names the path of every mismatch. */

export interface Mismatch {
  path: string;
  expected: unknown;
  actual: unknown;
}

/** Field paths are dotted (`properties.user-properties.factoryId`); keys may hold `/` but not `.`. */
function get(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function set(target: Record<string, unknown>, path: string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    if (typeof current[key] !== 'object' || current[key] === null) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[path.at(-1)!] = value;
}

function remove(target: unknown, path: string[]): void {
  const parent = get(target, path.slice(0, -1));
  if (typeof parent === 'object' && parent !== null) delete (parent as Record<string, unknown>)[path.at(-1)!];
}

/** The message reduced to `select` (everything when empty), minus `ignores`; a JSON-string payload is parsed. */
export function reduce(message: Record<string, unknown>, select: readonly string[], ignores: readonly string[]): Record<string, unknown> {
  let reduced: Record<string, unknown>;
  if (select.length === 0) reduced = structuredClone(message);
  else {
    reduced = {};
    for (const path of select) {
      const value = get(message, path.split('.'));
      if (value !== undefined) set(reduced, path.split('.'), structuredClone(value));
    }
  }
  for (const path of ignores) remove(reduced, path.split('.'));
  return normalisePayload(reduced);
}

export function normalisePayload<T>(message: T): T {
  if (typeof message === 'object' && message !== null && typeof (message as Record<string, unknown>)['payload'] === 'string') {
    try {
      return { ...message, payload: JSON.parse((message as Record<string, string>)['payload']!) };
    } catch {
      return message;
    }
  }
  return message;
}

/**
 * Numbers compare by value with a relative tolerance of 1e-9: a built-in's `23.0` and JavaScript's `23` are one
 * number, and the AIO docs print `(15.2 + 14.1) / 2` as 14.65 where IEEE-754 gives 14.649999999999999.
 */
function sameNumber(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

export function diff(expected: unknown, actual: unknown, path = '$'): Mismatch[] {
  if (Object.is(expected, actual)) return [];
  if (typeof expected === 'number' && typeof actual === 'number' && sameNumber(expected, actual)) return [];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: Mismatch[] = [];
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= expected.length) out.push({ path: `${path}[${i}]`, expected: undefined, actual: actual[i] });
      else if (i >= actual.length) out.push({ path: `${path}[${i}]`, expected: expected[i], actual: undefined });
      else out.push(...diff(expected[i], actual[i], `${path}[${i}]`));
    }
    return out;
  }
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    return keys.flatMap((k) => diff(expected[k], actual[k], `${path}.${k}`));
  }
  return [{ path, expected, actual }];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
