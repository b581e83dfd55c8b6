import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GRAPH_RULES } from '../../src/graph/rules/index.js';
import { validateGraphFile } from '../../src/graph/validate.js';
import { fixture } from '../helpers/paths.js';

/**
 * Each file under test/fixtures/graphs/invalid declares, in `# expect: <severity> <CODE> <line>:<column>` lines,
 * exactly the findings it must produce (informational notes included). Nothing more, nothing less.
 */
const corpusDir = fixture('graphs', 'invalid');

async function expectationsOf(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return [...text.matchAll(/^# expect: (\w+) (AIO_\w+) (\d+):(\d+)$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}:${m[4]}`).sort();
}

describe('invalid graph corpus', async () => {
  const files = (await readdir(corpusDir)).filter((f) => f.endsWith('.yaml')).sort();

  for (const name of files) {
    it(`${name}: reports exactly the expected codes at the expected positions`, async () => {
      const path = join(corpusDir, name);
      const expected = await expectationsOf(path);
      assert.ok(expected.length > 0, `${name} declares no expectations`);
      const { diagnostics } = await validateGraphFile(path);
      const actual = diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`).sort();
      assert.deepEqual(actual, expected);
      for (const d of diagnostics) {
        assert.ok(d.message.length > 10, `${d.code} has a message`);
        if (d.severity !== 'info') assert.ok((d.hint ?? '').length > 5, `${d.code} says how to fix it`);
      }
    });
  }

  it('covers every code the semantic rules can emit', async () => {
    const covered = new Set<string>();
    for (const name of files) for (const e of await expectationsOf(join(corpusDir, name))) covered.add(e.split(' ')[1]!);
    const declared = GRAPH_RULES.flatMap((rule) => Object.keys(rule.codes));
    assert.deepEqual(
      declared.filter((code) => !covered.has(code)),
      [],
    );
  });

  it('reads an unquoted boolean arm as the arm it meant, so the branch itself is not reported too', async () => {
    const { diagnostics } = await validateGraphFile(join(corpusDir, 'branch-unquoted-arm.yaml'));
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['AIO_GRAPH_ARM_UNQUOTED'],
    );
    assert.match(diagnostics[0]!.hint ?? '', /arm: "False"/);
  });
});
