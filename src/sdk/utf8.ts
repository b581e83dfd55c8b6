/**
 * UTF-8 for operators. QuickJS-built components have no TextEncoder/TextDecoder, so the SDK carries its own
 * codec and uses the platform's only where one exists (SpiderMonkey, Node).
 */
interface Codec {
  encode(text: string): Uint8Array;
  decode(bytes: Uint8Array): string;
}

/** Marks the SDK's own TextEncoder/TextDecoder (text-coding.ts), which QuickJS builds get as globals. */
export const POLYFILL = Symbol.for('aio-sdk.utf8-polyfill');

let codec: Codec | undefined;

function platformCodec(): Codec {
  const g = globalThis as { TextEncoder?: new () => { encode(s: string): Uint8Array }; TextDecoder?: new () => { decode(b: Uint8Array): string } };
  if (g.TextEncoder !== undefined && g.TextDecoder !== undefined && !(POLYFILL in g.TextDecoder)) {
    const encoder = new g.TextEncoder();
    const decoder = new g.TextDecoder();
    return { encode: (s) => encoder.encode(s), decode: (b) => decoder.decode(b) };
  }
  // As TextDecoder does by default, a byte order mark at the start is dropped.
  return { encode: fastEncodeUtf8, decode: (b) => withoutBom(fastDecodeUtf8(b)) };
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The codec is chosen at the first call, not at module load: QuickJS snapshots the module's top level at build time. */
export function utf8Encode(text: string): Uint8Array {
  codec ??= platformCodec();
  return codec.encode(text);
}

export function utf8Decode(bytes: Uint8Array): string {
  codec ??= platformCodec();
  return codec.decode(bytes);
}

/**
 * Native calls that QuickJS (quickjs-ng) has and that make a UTF-8 conversion without a byte loop: the TC39
 * `Uint8Array` base64 methods (`fromBase64`, `toBase64`), `atob`/`btoa`, `escape` and the URI coders. Inside a
 * component the interpreter takes about 0.2 µs a byte for the loops below (several µs for a small JSON payload,
 * each way); through these the same conversion is a handful of native calls.
 */
interface Base64Array {
  toBase64(): string;
}
interface Base64Globals {
  atob(base64: string): string;
  btoa(binary: string): string;
}
const fromBase64 = (base64: string): Uint8Array => (Uint8Array as unknown as { fromBase64(s: string): Uint8Array }).fromBase64(base64);

let hasNatives: boolean | undefined;

/** Looked up at the first conversion, not at module load (QuickJS snapshots the top level at build time). */
function natives(): boolean {
  hasNatives ??= nativesPresent();
  return hasNatives;
}

function nativesPresent(): boolean {
  const g = globalThis as Partial<Base64Globals>;
  return (
    typeof (Uint8Array as { fromBase64?: unknown }).fromBase64 === 'function' &&
    typeof (Uint8Array.prototype as Partial<Base64Array>).toBase64 === 'function' &&
    typeof g.atob === 'function' &&
    typeof g.btoa === 'function'
  );
}

/** UTF-8 bytes of `text`: through the engine's natives where it has them, else the byte loop. */
export function fastEncodeUtf8(text: string): Uint8Array {
  return natives() ? encodeUtf8Natively(text) : encodeUtf8(text);
}

/** `bytes` as text (invalid sequences as U+FFFD): through the engine's natives where it has them, else the loop. */
export function fastDecodeUtf8(bytes: Uint8Array): string {
  return natives() ? decodeUtf8Natively(bytes) : decodeUtf8(bytes);
}

/** Text → Latin-1 "binary" string → bytes; the URI coder writes the UTF-8 of anything beyond ASCII. */
export function encodeUtf8Natively(text: string): Uint8Array {
  const { btoa } = globalThis as unknown as Base64Globals;
  try {
    const bytes = fromBase64(btoa(text)); // throws on a character above U+00FF
    if (maxByte(bytes) < 0x80) return bytes;
  } catch {
    // Beyond Latin-1: the URI coder below.
  }
  let binary: string;
  try {
    binary = unescape(encodeURIComponent(text));
  } catch {
    return encodeUtf8(text); // a lone surrogate: the loop writes U+FFFD for it, as TextEncoder does
  }
  return fromBase64(btoa(binary));
}

/** Bytes → Latin-1 "binary" string; beyond ASCII the URI decoder reads it as UTF-8 (and refuses invalid input). */
export function decodeUtf8Natively(bytes: Uint8Array): string {
  const binary = (globalThis as unknown as Base64Globals).atob((bytes as unknown as Base64Array).toBase64());
  if (maxByte(bytes) < 0x80) return binary;
  try {
    return decodeURIComponent(escape(binary));
  } catch {
    return decodeUtf8(bytes); // invalid UTF-8: the loop replaces each bad sequence with U+FFFD, as TextDecoder does
  }
}

const MAX_APPLY = 8192;

/** The largest byte, in native calls: apply takes the array-like whole, or in chunks that fit an argument list. */
function maxByte(bytes: Uint8Array): number {
  // Most payloads fit one chunk: no view to allocate.
  if (bytes.length <= MAX_APPLY) return Math.max.apply(null, bytes as unknown as number[]);
  let max = 0;
  for (let at = 0; at < bytes.length; at += MAX_APPLY) max = Math.max(max, Math.max.apply(null, bytes.subarray(at, at + MAX_APPLY) as unknown as number[]));
  return max;
}

export function encodeUtf8(text: string): Uint8Array {
  // At most three bytes per UTF-16 unit; written in place, then trimmed (no per-byte array pushes).
  const out = new Uint8Array(text.length * 3);
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      out[at++] = code;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // a lone surrogate
    if (code < 0x800) {
      out[at++] = 0xc0 | (code >> 6);
      out[at++] = 0x80 | (code & 0x3f);
    } else if (code < 0x10000) {
      out[at++] = 0xe0 | (code >> 12);
      out[at++] = 0x80 | ((code >> 6) & 0x3f);
      out[at++] = 0x80 | (code & 0x3f);
    } else {
      out[at++] = 0xf0 | (code >> 18);
      out[at++] = 0x80 | ((code >> 12) & 0x3f);
      out[at++] = 0x80 | ((code >> 6) & 0x3f);
      out[at++] = 0x80 | (code & 0x3f);
    }
  }
  return out.slice(0, at);
}

/** The WHATWG UTF-8 decoder: each maximal invalid subsequence becomes one U+FFFD, as TextDecoder does. */
export function decodeUtf8(bytes: Uint8Array): string {
  if (isAscii(bytes)) return asciiString(bytes);
  const units: number[] = [];
  let out = '';
  const emit = (code: number): void => {
    if (code > 0xffff) {
      code -= 0x10000;
      units.push(0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff));
    } else units.push(code);
    if (units.length >= 4096) out += String.fromCharCode(...units.splice(0));
  };
  let code = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (needed === 0) {
      if (byte <= 0x7f) emit(byte);
      else if (byte >= 0xc2 && byte <= 0xdf) [needed, code] = [1, byte & 0x1f];
      else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        [needed, code] = [2, byte & 0x0f];
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        [needed, code] = [3, byte & 0x07];
      } else emit(0xfffd);
      continue;
    }
    if (byte < lower || byte > upper) {
      // The sequence so far is one error; this byte starts afresh.
      [code, needed, seen, lower, upper] = [0, 0, 0, 0x80, 0xbf];
      emit(0xfffd);
      i--;
      continue;
    }
    [lower, upper] = [0x80, 0xbf];
    code = (code << 6) | (byte & 0x3f);
    if (++seen === needed) {
      emit(code);
      [code, needed, seen] = [0, 0, 0];
    }
  }
  if (needed !== 0) emit(0xfffd);
  return out + String.fromCharCode(...units);
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

/** ASCII bytes as a string, in chunks small enough for an argument list. */
function asciiString(bytes: Uint8Array): string {
  let out = '';
  for (let at = 0; at < bytes.length; at += 8192) out += String.fromCharCode.apply(null, bytes.subarray(at, at + 8192) as unknown as number[]);
  return out;
}
