/**
 * TextEncoder and TextDecoder (UTF-8 only, as WHATWG Encoding's) for engines that lack them: QuickJS builds get them
 * as globals, so operators written for componentize-js (which has them) build unchanged on the default engine.
 */
import { POLYFILL, encodeUtf8, fastDecodeUtf8, fastEncodeUtf8 } from './utf8.js';

const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8']);

export class Utf8TextEncoder {
  static readonly [POLYFILL] = true;
  readonly encoding = 'utf-8';

  encode(input = ''): Uint8Array {
    return fastEncodeUtf8(String(input));
  }

  encodeInto(source: string, destination: Uint8Array): { read: number; written: number } {
    let read = 0;
    let written = 0;
    for (const char of source) {
      const bytes = encodeUtf8(char);
      if (written + bytes.length > destination.length) break;
      destination.set(bytes, written);
      written += bytes.length;
      read += char.length;
    }
    return { read, written };
  }
}

export class Utf8TextDecoder {
  static readonly [POLYFILL] = true;
  readonly encoding = 'utf-8';
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  /** The bytes of a sequence cut by the end of a `stream: true` chunk, kept for the next call. */
  private pending = new Uint8Array(0);
  private atStart = true;

  constructor(label = 'utf-8', options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    if (!UTF8_LABELS.has(String(label).trim().toLowerCase())) {
      throw new RangeError(`TextDecoder: the encoding "${label}" is not supported here (only UTF-8)`);
    }
    this.fatal = options.fatal === true;
    this.ignoreBOM = options.ignoreBOM === true;
  }

  decode(input?: ArrayBuffer | ArrayBufferView, options: { stream?: boolean } = {}): string {
    const chunk =
      input === undefined
        ? new Uint8Array(0)
        : ArrayBuffer.isView(input)
          ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
          : new Uint8Array(input);
    let bytes = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    this.pending = new Uint8Array(0);
    if (options.stream === true) {
      const cut = incompleteTail(bytes);
      this.pending = bytes.slice(bytes.length - cut);
      bytes = bytes.subarray(0, bytes.length - cut);
    }
    let text = fastDecodeUtf8(bytes);
    if (this.fatal && countReplacements(text) !== countEncodedReplacements(bytes)) throw new TypeError('TextDecoder: the data is not valid UTF-8');
    if (this.atStart && !this.ignoreBOM && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.atStart = options.stream !== true;
    return text;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** How many bytes at the end start a multi-byte sequence that is not complete yet (0–3). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

function countReplacements(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) count++;
  return count;
}

/** U+FFFD written in the input itself (EF BF BD), which a fatal decoder accepts. */
function countEncodedReplacements(bytes: Uint8Array): number {
  let count = 0;
  for (let i = 0; i + 2 < bytes.length; i++) if (bytes[i] === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) count++;
  return count;
}
