/**
 * UTF-8 for operators. QuickJS-built components have no TextEncoder/TextDecoder, so the SDK carries its own
 * codec and uses the platform's only where one exists (SpiderMonkey, Node).
 */
interface Codec {
  encode(text: string): Uint8Array;
  decode(bytes: Uint8Array): string;
}

let codec: Codec | undefined;

function platformCodec(): Codec {
  const g = globalThis as { TextEncoder?: new () => { encode(s: string): Uint8Array }; TextDecoder?: new () => { decode(b: Uint8Array): string } };
  if (g.TextEncoder !== undefined && g.TextDecoder !== undefined) {
    const encoder = new g.TextEncoder();
    const decoder = new g.TextDecoder();
    return { encode: (s) => encoder.encode(s), decode: (b) => decoder.decode(b) };
  }
  return { encode: encodeUtf8, decode: decodeUtf8 };
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

export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // a lone surrogate
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return new Uint8Array(out);
}

export function decodeUtf8(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    let code: number;
    let extra: number;
    if (b0 < 0x80) [code, extra] = [b0, 0];
    else if (b0 >= 0xc2 && b0 < 0xe0) [code, extra] = [b0 & 0x1f, 1];
    else if (b0 >= 0xe0 && b0 < 0xf0) [code, extra] = [b0 & 0x0f, 2];
    else if (b0 >= 0xf0 && b0 < 0xf5) [code, extra] = [b0 & 0x07, 3];
    else [code, extra] = [0xfffd, 0];
    let valid = i + extra < bytes.length || extra === 0;
    for (let k = 1; valid && k <= extra; k++) {
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) valid = false;
      else code = (code << 6) | (b & 0x3f);
    }
    if (!valid || (extra === 2 && (code < 0x800 || (code >= 0xd800 && code <= 0xdfff))) || (extra === 3 && (code < 0x10000 || code > 0x10ffff))) {
      out += '\ufffd';
      i += 1;
      continue;
    }
    out += String.fromCodePoint(code);
    i += extra + 1;
  }
  return out;
}
