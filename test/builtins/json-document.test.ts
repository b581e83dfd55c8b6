import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigReader } from '../../src/builtins/config/config-reader.js';
import { parseJsonDocument, toPlain, type JsonNode, type JsonObject, type JsonString } from '../../src/builtins/config/json-document.js';

function parse(text: string): JsonNode {
  const result = parseJsonDocument(text);
  assert.ok(result.ok, result.ok ? '' : `${result.message} at ${result.offset}`);
  return result.root;
}

const member = (node: JsonNode, key: string): JsonNode => (node as JsonObject).entries.find((e) => e.key === key)!.value;

describe('parseJsonDocument', () => {
  it('gives the same values as JSON.parse', () => {
    const texts = [
      '{"a": [1, -2.5, 3e2, 0, -0, 1E-3], "b": {"c": null, "d": true, "e": false}, "s": "x\\"y\\\\z\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"}',
      '[]',
      '{}',
      ' \n\t"only a string" \r\n',
      '12345678901234567890',
      '{"a":1,"a":2}',
    ];
    for (const text of texts) assert.deepEqual(toPlain(parse(text)), JSON.parse(text), text);
  });

  it('keeps the offset and end of every value and key', () => {
    const text = '{ "rules" : [ {"x": 10} , "y" ] }';
    const root = parse(text) as JsonObject;
    assert.equal(root.offset, 0);
    assert.equal(root.end, text.length);
    const entry = root.entries[0]!;
    assert.equal(entry.keyOffset, 2);
    assert.equal(text.slice(entry.value.offset, entry.value.end), '[ {"x": 10} , "y" ]');
    const items = (entry.value as { items: JsonNode[] }).items;
    assert.equal(text.slice(items[0]!.offset, items[0]!.end), '{"x": 10}');
    assert.equal(text.slice(member(items[0]!, 'x').offset, member(items[0]!, 'x').end), '10');
    assert.equal(items[1]!.offset, text.indexOf('"y"'));
  });

  it('maps every decoded character of a string back to its source, escapes included', () => {
    const text = '{"e": "a\\"b\\u0041c\\n"}';
    const node = member(parse(text), 'e') as JsonString;
    assert.equal(node.value, 'a"bAc\n');
    const starts = [...node.value].map((_, i) => text.slice(node.sourceOffset(i), node.sourceOffset(i) + 2));
    assert.deepEqual(starts, ['a\\', '\\"', 'b\\', '\\u', 'c\\', '\\n']);
    assert.equal(text[node.sourceOffset(node.value.length)], '"');
    assert.equal(node.sourceOffset(node.value.length), node.end - 1);
    // Without escapes the mapping is the plain shift by the opening quote.
    const plain = member(parse('{"e":"$1 * 2"}'), 'e') as JsonString;
    assert.equal(plain.sourceOffset(3), 9);
  });

  it('tells an integer from a float as written', () => {
    const root = parse('[1, 1.0, 1e3, -7]') as { items: JsonNode[] };
    assert.deepEqual(
      root.items.map((n) => (n.kind === 'number' ? [n.value, n.integer, n.raw] : undefined)),
      [
        [1, true, '1'],
        [1, false, '1.0'],
        [1000, false, '1e3'],
        [-7, true, '-7'],
      ],
    );
  });

  it('reports the first syntax error at its offset', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['{"a": 1,}', 8, /member name/],
      ['{"a" 1}', 5, /':'/],
      ['[1 2]', 3, /',' or ']'/],
      ['{"a": 01}', 7, /invalid number/],
      ['{"a": 1.}', 7, /invalid number/],
      ['{"a": -}', 6, /digit after the minus/],
      ['{"a": "x\\q"}', 8, /invalid escape/],
      ['{"a": "x\\u12"}', 8, /four hexadecimal/],
      ['{"a": "line\nbreak"}', 11, /control character/],
      ['{"a": "open', 6, /unterminated/],
      ['{"a": tru}', 6, /expected a JSON value/],
      ['{"a": 1} x', 9, /after the JSON value/],
      ['', 0, /end of text/],
      ['['.repeat(300), 257, /nested deeper/],
    ];
    for (const [text, offset, message] of cases) {
      const result = parseJsonDocument(text);
      assert.equal(result.ok, false, text);
      if (result.ok) continue;
      assert.equal(result.offset, offset, `${text}: ${result.message}`);
      assert.match(result.message, message, text);
    }
  });
});

describe('ConfigReader', () => {
  it('reports unknown and duplicate keys, bad JSON and a missing required key', () => {
    const reader = new ConfigReader(
      [
        { key: 'rules', value: '{"map": [}' },
        { key: 'rules', value: '{}' },
        { key: 'extra', value: '{}' },
      ],
      ['rules'],
    );
    assert.equal(reader.document('rules', true), undefined);
    assert.equal(reader.document('other', true), undefined);
    assert.deepEqual(
      reader.findings.map((f) => [f.code, f.key, f.offset]),
      [
        ['AIO_BUILTIN_DUPLICATE_KEY', 'rules', undefined],
        ['AIO_BUILTIN_UNKNOWN_KEY', 'extra', undefined],
        ['AIO_BUILTIN_JSON_SYNTAX', 'rules', 9],
        ['AIO_BUILTIN_MISSING_KEY', undefined, undefined],
      ],
    );
    assert.ok(reader.failed);
  });

  it('checks members against a shape with offsets', () => {
    const value = '{"type": 5, "delaySeconds": 10, "delaySeconds": 3, "extra": 1}';
    const reader = new ConfigReader([{ key: 'delay', value }], ['delay']);
    const members = reader.members('delay', reader.document('delay', true)!, 'delay', {
      type: ['string', true],
      delaySeconds: ['integer', true],
      unit: ['string', true],
    });
    assert.equal(members?.type, undefined);
    assert.equal(members?.delaySeconds?.kind, 'number');
    assert.deepEqual(
      reader.findings.map((f) => [f.code, f.offset, f.message]),
      [
        ['AIO_BUILTIN_WRONG_TYPE', value.indexOf('5'), 'delay.type must be a string, found an integer'],
        ['AIO_BUILTIN_DUPLICATE_MEMBER', value.lastIndexOf('"delaySeconds"'), 'member `delaySeconds` appears twice in delay'],
        ['AIO_BUILTIN_UNKNOWN_MEMBER', value.indexOf('"extra"'), 'unknown member `extra` in delay'],
        ['AIO_BUILTIN_MISSING_MEMBER', 0, 'delay has no `unit`'],
      ],
    );
  });

  it('accepts a well-formed document without findings', () => {
    const reader = new ConfigReader([{ key: 'delay', value: '{"type":"duration","delaySeconds":10}' }], ['delay']);
    const members = reader.members('delay', reader.document('delay', true)!, 'delay', { type: ['string', true], delaySeconds: ['integer', true] });
    assert.deepEqual(reader.findings, []);
    assert.equal(members?.delaySeconds?.kind === 'number' && members.delaySeconds.value, 10);
  });
});
