/**
 * The TextEncoder/TextDecoder QuickJS builds get: checked against Node's own (the WHATWG implementation) on valid,
 * invalid, streamed and BOM-led input, so a componentize-js source decodes the same on either engine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Utf8TextDecoder, Utf8TextEncoder } from '../../src/sdk/text-coding.js';

const samples: Array<[string, number[]]> = [
  ['ASCII', [...Buffer.from('{"value": 42}')]],
  ['two-, three- and four-byte sequences', [...Buffer.from('Zürich € 𝄞')]],
  ['a BOM first', [0xef, 0xbb, 0xbf, 0x61]],
  ['a lone continuation byte', [0x61, 0x80, 0x62]],
  ['a truncated sequence at the end', [0x61, 0xe2, 0x82]],
  ['an overlong encoding', [0xc0, 0xaf]],
  ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ['U+FFFD written in the input', [0xef, 0xbf, 0xbd]],
];

describe('TextDecoder for QuickJS builds', () => {
  for (const [label, bytes] of samples) {
    it(`decodes ${label} as Node's TextDecoder does, fatal or not`, () => {
      const input = new Uint8Array(bytes);
      assert.equal(new Utf8TextDecoder().decode(input), new TextDecoder().decode(input));
      assert.equal(new Utf8TextDecoder('utf-8', { ignoreBOM: true }).decode(input), new TextDecoder('utf-8', { ignoreBOM: true }).decode(input));
      let expected: string | Error;
      try {
        expected = new TextDecoder('utf-8', { fatal: true }).decode(input);
      } catch (error) {
        expected = error as Error;
      }
      if (expected instanceof Error) assert.throws(() => new Utf8TextDecoder('utf-8', { fatal: true }).decode(input), TypeError);
      else assert.equal(new Utf8TextDecoder('utf-8', { fatal: true }).decode(input), expected);
    });
  }

  it('streams: a sequence cut between chunks is joined, at every cut point', () => {
    const bytes = Buffer.from('a€𝄞ü');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const decoder = new Utf8TextDecoder();
      const text = decoder.decode(bytes.subarray(0, cut), { stream: true }) + decoder.decode(bytes.subarray(cut));
      assert.equal(text, 'a€𝄞ü', `cut at ${cut}`);
    }
  });

  it('accepts ArrayBuffer and any view; refuses encodings other than UTF-8', () => {
    const bytes = Buffer.from('héllo');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    assert.equal(new Utf8TextDecoder().decode(view), 'héllo');
    assert.equal(new Utf8TextDecoder('UTF8').decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)), 'héllo');
    assert.equal(new Utf8TextDecoder().decode(), '');
    assert.throws(() => new Utf8TextDecoder('latin1'), RangeError);
  });
});

describe('TextEncoder for QuickJS builds', () => {
  it("encodes as Node's TextEncoder does, lone surrogates as U+FFFD", () => {
    for (const text of ['', 'plain', 'Zürich € 𝄞', 'lone \ud800 surrogate']) {
      assert.deepEqual(new Utf8TextEncoder().encode(text), new TextEncoder().encode(text));
    }
  });

  it('encodeInto stops before a character that does not fit', () => {
    const target = new Uint8Array(4);
    assert.deepEqual(new Utf8TextEncoder().encodeInto('a€b', target), new TextEncoder().encodeInto('a€b', new Uint8Array(4)));
    assert.deepEqual([...target], [0x61, 0xe2, 0x82, 0xac]);
  });
});
