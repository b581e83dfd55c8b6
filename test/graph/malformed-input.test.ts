import assert from 'node:assert/strict';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateGraphFile, validateGraphText } from '../../src/graph/validate.js';
import { withTempDir } from '../helpers/temp-dir.js';

const VALID = `metadata:
  $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json"
  name: ok
  version: "1.0.0"
moduleRequirements:
  apiVersion: "1.1.0"
  runtimeVersion: "1.1.0"
operations:
  - operationType: source
    name: source
  - operationType: sink
    name: sink
connections:
  - from:
      name: source
    to:
      name: sink
`;

function codesAt(text: string): string[] {
  return validateGraphText('g.yaml', text).diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
}

describe('malformed input gets a diagnostic, never a crash', () => {
  it('accepts the minimal valid graph', () => {
    assert.deepEqual(validateGraphText('g.yaml', VALID).diagnostics, []);
  });

  it('an empty file', () => {
    assert.deepEqual(codesAt(''), ['AIO_YAML_EMPTY 1:1']);
    assert.deepEqual(codesAt('# only a comment\n'), ['AIO_YAML_EMPTY 1:1']);
  });

  it('a YAML syntax error, at its position', () => {
    // The parser notices a missing closing quote where the input ends.
    assert.deepEqual(codesAt('metadata:\n  name: "unterminated\n'), ['AIO_YAML_SYNTAX 3:1']);
    assert.deepEqual(
      codesAt('metadata:\n  name: [a, b\noperations: []\n').map((c) => c.split(' ')[0]),
      ['AIO_YAML_SYNTAX'],
    );
  });

  it('a duplicate key, at the second key', () => {
    const text = VALID.replace('  name: ok\n', '  name: ok\n  name: again\n');
    assert.deepEqual(codesAt(text), ['AIO_YAML_DUPLICATE_KEY 4:3']);
  });

  it('tabs used for indentation', () => {
    const text = VALID.replace('  name: ok\n', '\tname: ok\n');
    const codes = codesAt(text);
    assert.ok(codes.includes('AIO_YAML_TAB_INDENT 3:1'), codes.join(', '));
  });

  it('more than one document', () => {
    assert.deepEqual(codesAt(`${VALID}---\n${VALID}`), ['AIO_YAML_MULTIPLE_DOCUMENTS 18:1']);
  });

  it('a list or a scalar at the top', () => {
    assert.deepEqual(codesAt('- a\n- b\n'), ['AIO_GRAPH_NOT_A_MAPPING 1:1']);
    assert.deepEqual(codesAt('just words\n'), ['AIO_GRAPH_NOT_A_MAPPING 1:1']);
  });

  it('a YAML bomb (aliases expanding exponentially)', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = process.hrtime.bigint();
    const { diagnostics, valid } = validateGraphText('bomb.yaml', `${levels.join('\n')}\n`);
    assert.equal(valid, false);
    assert.equal(diagnostics[0]?.code, 'AIO_YAML_ALIAS_LIMIT');
    assert.equal(diagnostics[0]?.line, 2);
    // A sanity bound, not a timing test: an expanded bomb would take minutes and gigabytes.
    assert.ok(process.hrtime.bigint() - started < 10_000_000_000n);
  });

  it('a directory, a missing file, a binary file, a non-UTF-8 file and a 50 MB file', async () => {
    await withTempDir(async (dir) => {
      await mkdir(join(dir, 'graphs'));
      assert.equal((await validateGraphFile(join(dir, 'graphs'))).diagnostics[0]?.code, 'AIO_FILE_IS_DIRECTORY');
      assert.equal((await validateGraphFile(join(dir, 'missing.yaml'))).diagnostics[0]?.code, 'AIO_FILE_NOT_FOUND');

      await writeFile(join(dir, 'binary.yaml'), Buffer.from([0x6d, 0x3a, 0x0a, 0x00, 0x01, 0x02]));
      const binary = (await validateGraphFile(join(dir, 'binary.yaml'))).diagnostics[0];
      assert.deepEqual([binary?.code, binary?.line, binary?.column], ['AIO_FILE_BINARY', 2, 1]);

      await writeFile(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from('metadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
      const latin1 = (await validateGraphFile(join(dir, 'latin1.yaml'))).diagnostics[0];
      assert.deepEqual([latin1?.code, latin1?.line, latin1?.column], ['AIO_FILE_NOT_UTF8', 2, 12]);

      const big = join(dir, 'big.yaml');
      const handle = await open(big, 'w');
      await handle.truncate(50 * 1024 * 1024);
      await handle.close();
      const large = await validateGraphFile(big);
      assert.equal(large.diagnostics[0]?.code, 'AIO_FILE_TOO_LARGE');
      assert.match(large.diagnostics[0]?.message ?? '', /50\.0 MiB/);
    });
  });

  it('wrong value types, with the value as written', () => {
    const text = VALID.replace('version: "1.0.0"', 'version: 1.10');
    const [d] = validateGraphText('g.yaml', text).diagnostics;
    assert.equal(d?.code, 'AIO_SCHEMA_TYPE');
    assert.match(d?.hint ?? '', /version: "1\.10"/);
  });
});
