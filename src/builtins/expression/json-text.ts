/**
 * Payload JSON text ↔ JavaScript values, keeping what JSON.parse forgets: whether a number was written as a float.
 * The cluster (Rust) reads `23.0` as a Float and `23` as an Int, and `7.0 / 2` is 3.5 while `7 / 2` is 3, so a
 * float literal with an integral value is kept as a `JsonFloat` box; every other number stays a plain JS number.
 * Output goes the same way back: a Float with an integral value prints as `23.0`, as the cluster prints it.
 */

/** A JSON number written as a float whose value is integral (`23.0`, `1e3`): a plain number would read as an Int. */
export class JsonFloat {
  constructor(readonly value: number) {}
  /** JSON.stringify (used only when no box is around) prints the number. */
  toJSON(): number {
    return this.value;
  }
}

/** A float literal that JSON.parse would turn into an integral number: a `.` followed only by zeros, or an exponent. */
const INTEGRAL_FLOAT = /\d\.0*(?![0-9])|\d[eE]/;

/** Parses payload text; throws SyntaxError like JSON.parse. */
export function parseJsonText(text: string): unknown {
  return parseJson(text).value;
}

/**
 * Parses payload text and says whether the value may hold JsonFloat boxes. Fast path: JSON.parse when no integral
 * float is written; otherwise JSON.parse validates (its errors are the platform's) and a small reader keeps the boxes.
 */
export function parseJson(text: string): { value: unknown; floats: boolean } {
  if (!INTEGRAL_FLOAT.test(text)) return { value: JSON.parse(text), floats: false };
  JSON.parse(text);
  return { value: new FloatKeepingParser(text).document(), floats: true };
}

/** Serializes a value that may hold JsonFloat boxes (integral floats print with `.0`); `floats: false` skips the search for them. */
export function stringifyJson(value: unknown, floats = holdsFloatBox(value)): string {
  if (!floats) return JSON.stringify(value);
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

/** The text of a float as Rust's serde_json writes it: integral values keep a `.0`. */
function floatJsonText(value: number): string {
  const text = String(value);
  return Number.isInteger(value) && !/[e.]/.test(text) ? `${text}.0` : text;
}

/** Whether a JSON value holds a JsonFloat box anywhere. */
export function holdsFloatBox(value: unknown): boolean {
  if (value instanceof JsonFloat) return true;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsFloatBox);
  for (const key in value) if (holdsFloatBox((value as Record<string, unknown>)[key])) return true;
  return false;
}

function write(value: unknown, parts: string[]): void {
  if (value instanceof JsonFloat) {
    parts.push(floatJsonText(value.value));
  } else if (Array.isArray(value)) {
    parts.push('[');
    value.forEach((element, index) => {
      if (index > 0) parts.push(',');
      write(element === undefined ? null : element, parts);
    });
    parts.push(']');
  } else if (typeof value === 'object' && value !== null) {
    parts.push('{');
    let first = true;
    for (const [key, element] of Object.entries(value)) {
      if (element === undefined) continue;
      parts.push(first ? '' : ',', JSON.stringify(key), ':');
      write(element, parts);
      first = false;
    }
    parts.push('}');
  } else {
    parts.push(JSON.stringify(value));
  }
}

/** A small recursive-descent JSON reader, used only for text JSON.parse has already accepted. */
class FloatKeepingParser {
  private at = 0;
  constructor(private readonly text: string) {}

  document(): unknown {
    return this.value();
  }

  private skipSpace(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at]!)) this.at++;
  }

  private value(): unknown {
    this.skipSpace();
    const char = this.text[this.at]!;
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    if (char === 't' || char === 'f' || char === 'n') {
      const word = char === 't' ? 'true' : char === 'f' ? 'false' : 'null';
      this.at += word.length;
      return char === 't' ? true : char === 'f' ? false : null;
    }
    return this.number();
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      const key = this.string();
      this.skipSpace();
      this.at++; // ':'
      const element = this.value();
      // An own `__proto__` member, as JSON.parse makes it, not a prototype change.
      if (key === '__proto__') Object.defineProperty(result, key, { value: element, enumerable: true, writable: true, configurable: true });
      else result[key] = element;
      this.skipSpace();
      if (this.text[this.at++] === '}') return result;
    }
  }

  private array(): unknown[] {
    const result: unknown[] = [];
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return result;
    }
    for (;;) {
      result.push(this.value());
      this.skipSpace();
      if (this.text[this.at++] === ']') return result;
    }
  }

  private string(): string {
    const start = this.at;
    this.at++;
    while (this.text[this.at] !== '"') this.at += this.text[this.at] === '\\' ? 2 : 1;
    this.at++;
    return JSON.parse(this.text.slice(start, this.at)) as string;
  }

  private number(): number | JsonFloat {
    const match = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
    match.lastIndex = this.at;
    const found = match.exec(this.text)!;
    this.at += found[0].length;
    const value = Number(found[0]);
    const isFloat = found[1] !== undefined || found[2] !== undefined;
    return isFloat && Number.isInteger(value) ? new JsonFloat(value) : value;
  }
}
